package app

import (
	"context"
	"fmt"

	"github.com/inburgering/portal/internal/domain"
)

// demoDeclaration is one seeded hour declaration: a demo school declared hours of a persona for
// the calendar month monthsAgo months back, and the verification stands at status.
type demoDeclaration struct {
	persona   string
	school    string // client ID of a demo school
	course    domain.CourseType
	monthsAgo int
	hours     int
	status    domain.DeclarationStatus
	contract  bool // a contract of the school backs it (accepted straight away)
	forgery   bool // the school denied it
	daysLeft  int  // of the running step, for the statuses that have one
}

const (
	demoNoord = "demo-taalschool-noord"
	demoZuid  = "demo-taalschool-zuid"
)

// demoDeclarations hold every state of the verification flow (domain.md §8, the statuses of
// domain.Declaration), spread over personas whose pages show them: yusuf and ahmad (Wi2013, one
// short of and one past the 600 hours of the AGI exemption), olena (Wi2013, the evidence part)
// and samira (Wi2021, self-paying: the group that meets this flow most).
var demoDeclarations = []demoDeclaration{
	// yusuf: accepted with a contract, the school asked, evidence asked.
	{persona: "yusuf", school: demoNoord, course: domain.CourseNT2, monthsAgo: 6, hours: 150, status: domain.DeclarationAccepted, contract: true},
	{persona: "yusuf", school: demoNoord, course: domain.CourseNT2, monthsAgo: 5, hours: 140, status: domain.DeclarationAccepted, contract: true},
	{persona: "yusuf", school: demoNoord, course: domain.CourseNT2, monthsAgo: 4, hours: 130, status: domain.DeclarationAccepted, contract: true},
	{persona: "yusuf", school: demoZuid, course: domain.CourseInburgering, monthsAgo: 2, hours: 48, status: domain.DeclarationAskSchool, daysLeft: 9},
	{persona: "yusuf", school: demoZuid, course: domain.CourseInburgering, monthsAgo: 3, hours: 52, status: domain.DeclarationAskEvidence, daysLeft: 20},
	// olena: accepted after evidence, evidence under review, intent to refuse.
	{persona: "olena", school: demoZuid, course: domain.CourseNT2, monthsAgo: 5, hours: 60, status: domain.DeclarationAccepted},
	{persona: "olena", school: demoZuid, course: domain.CourseNT2, monthsAgo: 4, hours: 56, status: domain.DeclarationEvidenceReceived},
	{persona: "olena", school: demoZuid, course: domain.CourseNT2, monthsAgo: 3, hours: 64, status: domain.DeclarationIntentToRefuse, daysLeft: 11},
	// ahmad: past the 600 hours; one denied by the school (forgery), one refused after the intent.
	{persona: "ahmad", school: demoNoord, course: domain.CourseAlfabetisering, monthsAgo: 9, hours: 220, status: domain.DeclarationAccepted, contract: true},
	{persona: "ahmad", school: demoNoord, course: domain.CourseAlfabetisering, monthsAgo: 8, hours: 210, status: domain.DeclarationAccepted, contract: true},
	{persona: "ahmad", school: demoNoord, course: domain.CourseNT2, monthsAgo: 7, hours: 190, status: domain.DeclarationAccepted, contract: true},
	{persona: "ahmad", school: demoZuid, course: domain.CourseNT2, monthsAgo: 6, hours: 80, status: domain.DeclarationRefused, forgery: true},
	{persona: "ahmad", school: demoZuid, course: domain.CourseNT2, monthsAgo: 5, hours: 75, status: domain.DeclarationRefused},
	// samira: evidence asked, and one accepted with a contract.
	{persona: "samira", school: demoNoord, course: domain.CourseNT2, monthsAgo: 3, hours: 40, status: domain.DeclarationAccepted, contract: true},
	{persona: "samira", school: demoZuid, course: domain.CourseNT2, monthsAgo: 2, hours: 36, status: domain.DeclarationAskEvidence, daysLeft: 25},
}

// monthBack is the calendar month n months before today's.
func monthBack(today domain.Date, n int) (domain.Date, domain.Date) {
	start := domain.NewDate(today.Year, today.Month, 1).AddMonths(-n)
	return start, start.AddMonths(1).AddDays(-1)
}

// SeedDemoDeclarations gives the demo personas their hour declarations in every state of the
// verification, with the contracts behind the accepted ones, and enqueues the deadline jobs of
// the running steps, so the demo moves on as production would. It runs after SeedDemo and
// SeedDemoSchools, in demo mode only, and is idempotent: a persona with declarations is left
// alone. Like the personas, seeding is set-up, not an act of a person: it is not audited.
func (s *Service) SeedDemoDeclarations(ctx context.Context) (int, error) {
	st, ok := s.declarations.(OwnDeclarationStore)
	if !ok {
		return 0, errNoOwnDeclarationStore
	}
	today := s.Today()
	schools := map[string]int64{}
	for _, d := range DemoSchools {
		sc, err := s.schools.SchoolByClientID(ctx, d.ClientID)
		if err != nil {
			return 0, fmt.Errorf("demo school %s: %w", d.ClientID, err)
		}
		schools[d.ClientID] = sc.ID
	}
	byPersona := map[string][]demoDeclaration{}
	var order []string
	for _, dd := range demoDeclarations {
		if _, ok := byPersona[dd.persona]; !ok {
			order = append(order, dd.persona)
		}
		byPersona[dd.persona] = append(byPersona[dd.persona], dd)
	}
	n := 0
	for _, key := range order {
		person, err := s.demo.InburgeraarByPersona(ctx, key)
		if domain.ErrorKind(err) == domain.KindNotFound {
			continue
		}
		if err != nil {
			return n, err
		}
		have, err := st.DeclarationsOfInburgeraar(ctx, person.ID)
		if err != nil {
			return n, err
		}
		if len(have) > 0 {
			continue
		}
		err = s.tx.InTx(ctx, func(ctx context.Context) error {
			for _, dd := range byPersona[key] {
				start, end := monthBack(today, dd.monthsAgo)
				d := domain.Declaration{SchoolID: schools[dd.school], InburgeraarID: person.ID, BSN: person.BSN, CourseType: dd.course,
					PeriodStart: start, PeriodEnd: end, Hours: dd.hours, CreatedAt: s.Now().UTC()}
				// The seed obeys the rules like any other input.
				if err := d.Validate(today); err != nil {
					return fmt.Errorf("demo declaration of %s: %w", key, err)
				}
				if dd.contract {
					c := domain.Contract{SchoolID: d.SchoolID, InburgeraarID: person.ID, BSN: person.BSN, CourseType: dd.course,
						Start: start, End: end, PurchasedHours: dd.hours, CreatedAt: d.CreatedAt}
					if err := c.Validate(); err != nil {
						return err
					}
					if err := s.declarations.CreateContract(ctx, &c); err != nil {
						return err
					}
					d.ContractID = &c.ID
				}
				d.Status, d.Forgery = dd.status, dd.forgery
				if dd.daysLeft > 0 {
					dl := today.AddDays(dd.daysLeft)
					d.Deadline = &dl
				}
				if err := s.declarations.CreateDeclaration(ctx, &d); err != nil {
					return err
				}
				if err := s.scheduleDeadline(ctx, d); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
