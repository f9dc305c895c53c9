package domain

import (
	"strings"
	"testing"
)

func TestDeclarationValidate(t *testing.T) {
	today := NewDate(2026, 11, 29)
	ok := Declaration{PeriodStart: NewDate(2026, 10, 1), PeriodEnd: NewDate(2026, 10, 31), Hours: 40, CourseType: CourseNT2}
	tests := []struct {
		name   string
		change func(*Declaration)
		want   []string // field:message
	}{
		{"valid", func(*Declaration) {}, nil},
		{"zero hours", func(d *Declaration) { d.Hours = 0 }, nil},
		{"negative hours", func(d *Declaration) { d.Hours = -1 }, []string{"uren:error.hours_negative"}},
		{"exactly what the period holds", func(d *Declaration) { d.Hours = 31 * MaxLessonHoursPerDay }, nil},
		{"more than the period holds", func(d *Declaration) { d.Hours = 31*MaxLessonHoursPerDay + 1 }, []string{"uren:error.hours_period"}},
		{"one day, 13 hours", func(d *Declaration) { d.PeriodStart, d.PeriodEnd, d.Hours = today, today, 13 }, []string{"uren:error.hours_period"}},
		{"ends today", func(d *Declaration) { d.PeriodEnd = today }, nil},
		{"ends tomorrow", func(d *Declaration) { d.PeriodEnd = today.AddDays(1) }, []string{"periodeTot:error.period_future"}},
		{"reversed", func(d *Declaration) { d.PeriodEnd = NewDate(2026, 9, 30) }, []string{"periodeTot:error.period_order"}},
		{"too long", func(d *Declaration) { d.PeriodStart = NewDate(2025, 1, 1) }, []string{"periodeTot:error.period_length"}},
		{"future and negative", func(d *Declaration) { d.PeriodEnd, d.Hours = today.AddDays(3), -5 }, []string{"periodeTot:error.period_future", "uren:error.hours_negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok
			tt.change(&d)
			var got []string
			if err := d.Validate(today); err != nil {
				for _, v := range err.(*Error).Violations {
					got = append(got, v.Field+":"+v.MessageID)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDeclarationSubmit(t *testing.T) {
	today := NewDate(2026, 11, 29)
	p := DefaultVerificationPeriods()
	d := Declaration{SchoolID: 1, InburgeraarID: 7, CourseType: CourseNT2, PeriodStart: NewDate(2026, 10, 1), PeriodEnd: NewDate(2026, 10, 31), Hours: 40}
	c := Contract{ID: 3, SchoolID: 1, InburgeraarID: 7, CourseType: CourseNT2, Start: NewDate(2026, 9, 1), End: NewDate(2027, 6, 30)}
	tests := []struct {
		name     string
		contract *Contract
		change   func(*Contract)
		status   DeclarationStatus
	}{
		{"matching contract", &c, nil, DeclarationAccepted},
		{"no contract", nil, nil, DeclarationAskSchool},
		{"other course type", &c, func(c *Contract) { c.CourseType = CourseAlfabetisering }, DeclarationAskSchool},
		{"contract starts later", &c, func(c *Contract) { c.Start = NewDate(2026, 10, 2) }, DeclarationAskSchool},
		{"contract ended earlier", &c, func(c *Contract) { c.End = NewDate(2026, 10, 30) }, DeclarationAskSchool},
		{"other school's contract", &c, func(c *Contract) { c.SchoolID = 2 }, DeclarationAskSchool},
		{"contract of someone else", &c, func(c *Contract) { c.InburgeraarID = 8 }, DeclarationAskSchool},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k *Contract
			if tt.contract != nil {
				cc := *tt.contract
				if tt.change != nil {
					tt.change(&cc)
				}
				k = &cc
			}
			got := d.Submit(k, today, p)
			if got.Status != tt.status {
				t.Fatalf("status %s, want %s", got.Status, tt.status)
			}
			switch got.Status {
			case DeclarationAccepted:
				if got.ContractID == nil || *got.ContractID != 3 || got.Deadline != nil {
					t.Errorf("accepted without the contract, or with a deadline: %+v", got)
				}
			case DeclarationAskSchool:
				if got.ContractID != nil || got.Deadline == nil || *got.Deadline != today.AddDays(14) {
					t.Errorf("asking the school needs a deadline 14 days on: %+v", got)
				}
			}
		})
	}
}

// TestDeclarationFlow walks every transition of domain.md §8, and refuses every other.
func TestDeclarationFlow(t *testing.T) {
	p := DefaultVerificationPeriods()
	day := NewDate(2026, 11, 29)
	dl := func(n int) *Date { d := day.AddDays(n); return &d }
	at := func(s DeclarationStatus, deadline *Date) Declaration {
		return Declaration{Status: s, Deadline: deadline}
	}
	tests := []struct {
		name     string
		from     Declaration
		event    DeclarationEvent
		today    Date
		to       DeclarationStatus // "" means refused as a conflict
		deadline *Date
		forgery  bool
	}{
		{"school confirms", at(DeclarationAskSchool, dl(14)), EventSchoolConfirms, day, DeclarationAccepted, nil, false},
		{"school denies: refused, forgery", at(DeclarationAskSchool, dl(14)), EventSchoolDenies, day, DeclarationRefused, nil, true},
		{"school silent on the last day: not yet", at(DeclarationAskSchool, dl(0)), EventDeadlinePassed, day, "", nil, false},
		{"school silent past the deadline: ask for evidence", at(DeclarationAskSchool, dl(-1)), EventDeadlinePassed, day, DeclarationAskEvidence, dl(28), false},
		{"evidence uploaded", at(DeclarationAskEvidence, dl(20)), EventEvidenceUploaded, day, DeclarationEvidenceReceived, nil, false},
		{"no evidence in time: intent to refuse", at(DeclarationAskEvidence, dl(-1)), EventDeadlinePassed, day, DeclarationIntentToRefuse, dl(14), false},
		{"staff accept the evidence", at(DeclarationEvidenceReceived, nil), EventStaffAccepts, day, DeclarationAccepted, nil, false},
		{"staff intend to refuse", at(DeclarationEvidenceReceived, nil), EventStaffIntends, day, DeclarationIntentToRefuse, dl(14), false},
		{"response convinces staff", at(DeclarationIntentToRefuse, dl(5)), EventStaffAccepts, day, DeclarationAccepted, nil, false},
		{"staff refuse after the intent", at(DeclarationIntentToRefuse, dl(5)), EventStaffRefuses, day, DeclarationRefused, nil, false},
		{"intent period over: refused", at(DeclarationIntentToRefuse, dl(-1)), EventDeadlinePassed, day, DeclarationRefused, nil, false},
		{"school answers too late", at(DeclarationAskEvidence, dl(20)), EventSchoolConfirms, day, "", nil, false},
		{"an accepted declaration stays", at(DeclarationAccepted, nil), EventSchoolDenies, day, "", nil, false},
		{"a refused declaration has no deadline", at(DeclarationRefused, nil), EventDeadlinePassed, day, "", nil, false},
		{"staff cannot refuse without an intent", at(DeclarationEvidenceReceived, nil), EventStaffRefuses, day, "", nil, false},
		{"evidence is not reviewed before it is there", at(DeclarationAskEvidence, dl(3)), EventStaffAccepts, day, "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.from.Apply(tt.event, tt.today, p)
			if tt.to == "" {
				if ErrorKind(err) != KindConflict || got.Status != tt.from.Status {
					t.Fatalf("want a conflict and no change, got %v %+v", err, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.to || got.Forgery != tt.forgery || (got.Deadline == nil) != (tt.deadline == nil) || (got.Deadline != nil && *got.Deadline != *tt.deadline) {
				t.Errorf("got %s deadline %v forgery %v, want %s %v %v", got.Status, got.Deadline, got.Forgery, tt.to, tt.deadline, tt.forgery)
			}
			if got.Final() != (got.Status == DeclarationAccepted || got.Status == DeclarationRefused) {
				t.Error("Final")
			}
		})
	}
}
