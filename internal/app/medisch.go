package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// MedicalStore is the storage port of the medical requests (domain.md §7). It is its own port, not
// part of Repository: the use cases below need only this.
type MedicalStore interface {
	Inburgeraar(ctx context.Context, id int64) (domain.Inburgeraar, error)
	InburgeraarByBSN(ctx context.Context, bsn domain.BSN) (domain.Inburgeraar, error)

	MedischeAanvragen(ctx context.Context, inburgeraarID int64) ([]domain.MedischeAanvraag, error) // oldest first
	// MedischeAanvraag returns a request whoever it belongs to; callers check the owner.
	MedischeAanvraag(ctx context.Context, id int64) (domain.MedischeAanvraag, error)
	// MedischeAanvragenNa returns up to limit requests with an id above afterID, in id order.
	MedischeAanvragenNa(ctx context.Context, afterID int64, limit int) ([]domain.MedischeAanvraag, error)
	CreateMedischeAanvraag(ctx context.Context, a *domain.MedischeAanvraag) error
	// UpdateMedischeFasen stores the stage dates, the waiting flag and the advice of a.
	UpdateMedischeFasen(ctx context.Context, a domain.MedischeAanvraag) error
	// SetToestemming stores a new blocking-right status when the stored version is still versie, and
	// raises the version. It answers KindPreconditionFailed when the version moved on.
	SetToestemming(ctx context.Context, id int64, versie int, status domain.ToestemmingStatus, at time.Time) error
	// SetMedischBesluit stores the decision when the stored version is still versie, and raises it.
	SetMedischBesluit(ctx context.Context, id int64, versie int, b domain.MedischBesluit) error
	AddToestemmingsBewijs(ctx context.Context, e *domain.ToestemmingsBewijs) error
	ToestemmingsBewijzen(ctx context.Context, aanvraagID int64) ([]domain.ToestemmingsBewijs, error) // oldest first

	// The effects of a decision elsewhere: the term (extension), the obligation (exemption) and the PIP.
	AddExtension(ctx context.Context, inburgeraarID int64, e domain.Extension) error
	SetExemptedOn(ctx context.Context, inburgeraarID int64, d domain.Date) error
	ExemptPIPComponents(ctx context.Context, inburgeraarID int64, kinds []domain.ComponentKind) error

	AddBericht(ctx context.Context, b *domain.Bericht) error
	AppendAudit(ctx context.Context, e AuditEntry) error
}

// Message kinds the medical requests post to the inbox.
const (
	BerichtMedischAdvies  domain.BerichtKind = "medisch_advies_gereed"
	BerichtMedischBesluit domain.BerichtKind = "medisch_besluit"
)

// Audit actions of the medical requests.
const (
	AuditMedischeAanvragenIngezien = "medische_aanvragen_ingezien" // staff listed a person's requests
	AuditMedischeAanvraagIngezien  = "medische_aanvraag_ingezien"  // staff read one request
	AuditMedischAdviesIngezien     = "medisch_advies_ingezien"     // staff read the advice (after consent)
	AuditMedischAdviesGeweigerd    = "medisch_advies_geweigerd"    // staff tried to read the advice and was refused
	AuditMedischeAanvraagVreemd    = "medische_aanvraag_vreemd"    // an inburgeraar asked for someone else's request
	AuditMedischeKeuze             = "medische_keuze"              // an inburgeraar's choice under the blocking right
	AuditMedischeAanvraagGewijzigd = "medische_aanvraag_gewijzigd" // staff registered or moved a request on
	AuditMedischBesluit            = "medisch_besluit"             // staff recorded the decision
)

// Medical holds the use cases of medical requests and the blocking right. Every staff read of a
// request and every attempt to read the advice is audited with the staff member's stable ID,
// refusals included.
type Medical struct {
	Service *Service // clock, policies, pseudonyms and transactions
	store   MedicalStore
}

// NewMedical returns the medical use cases over st; svc gives the clock, the policies, the
// pseudonyms and the transactions (the store joins the transaction its ctx carries).
func NewMedical(svc *Service, st MedicalStore) *Medical { return &Medical{Service: svc, store: st} }

// MedicalStatus is a request as the inburgeraar's tracker shows it, with the figures computed once
// for the portal and the API.
type MedicalStatus struct {
	domain.MedischeAanvraag
	Stappen        []domain.FaseStap
	Fase           domain.MedischeFase
	AanZet         domain.Actor
	Dagen          int // how long it has run
	GemiddeldDag   int // the current average, in days
	GemiddeldWeken int // the same in weeks, as the policy states it
	LegesTerug     bool
	Keuzes         []domain.Keuze
}

func (m *Medical) status(a domain.MedischeAanvraag) MedicalStatus {
	today := m.Service.Today()
	days, avg := a.Doorlooptijd(m.Service.Policies.At(today), today)
	return MedicalStatus{MedischeAanvraag: a, Stappen: a.Stappen(), Fase: a.Fase(), AanZet: a.AanZet(), Dagen: days,
		GemiddeldDag: avg, GemiddeldWeken: avg / 7, LegesTerug: a.LegesTerug(), Keuzes: a.Choices()}
}

func notFound() error { return domain.Errorf(domain.KindNotFound, "error.medical_not_found") }

// own returns request id when it belongs to inburgeraar who. Someone else's request is "not found",
// and the attempt is audited with pseudonyms of both people: written to the audit log when record
// is set (the caller is a state-changing request), else logged as an audit event, because a read
// (a GET) never writes.
func (m *Medical) own(ctx context.Context, st MedicalStore, who, id int64, record bool) (domain.MedischeAanvraag, error) {
	a, err := st.MedischeAanvraag(ctx, id)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return a, notFound()
	}
	if err != nil {
		return a, err
	}
	if a.InburgeraarID == who {
		return a, nil
	}
	caller, err := m.store.Inburgeraar(ctx, who)
	if err != nil {
		return domain.MedischeAanvraag{}, err
	}
	owner, err := m.store.Inburgeraar(ctx, a.InburgeraarID)
	if err != nil {
		return domain.MedischeAanvraag{}, err
	}
	e := AuditEntry{At: m.Service.Now().UTC(), Actor: "inburgeraar:" + m.Service.Pseudonym(caller.BSN),
		Action: AuditMedischeAanvraagVreemd, Subject: m.Service.Pseudonym(owner.BSN), Details: "aanvraag=" + strconv.FormatInt(id, 10)}
	if !record {
		slog.WarnContext(ctx, "audit", "actor", e.Actor, "action", e.Action, "subject", e.Subject, "details", e.Details)
		return domain.MedischeAanvraag{}, notFound()
	}
	// Written outside any transaction of the caller's: the refusal is on record even though the
	// request fails.
	if err := m.store.AppendAudit(ctx, e); err != nil {
		return domain.MedischeAanvraag{}, err
	}
	return domain.MedischeAanvraag{}, notFound()
}

// MyRequests lists inburgeraar who's medical requests, oldest first.
func (m *Medical) MyRequests(ctx context.Context, who int64) ([]MedicalStatus, error) {
	list, err := m.store.MedischeAanvragen(ctx, who)
	if err != nil {
		return nil, err
	}
	out := make([]MedicalStatus, len(list))
	for i, a := range list {
		out[i] = m.status(a)
	}
	return out, nil
}

// MyRequest returns one of who's requests; someone else's is not found (and the attempt logged as
// an audit event: a read writes nothing).
func (m *Medical) MyRequest(ctx context.Context, who, id int64) (MedicalStatus, error) {
	a, err := m.own(ctx, m.store, who, id, false)
	if err != nil {
		return MedicalStatus{}, err
	}
	return m.status(a), nil
}

// MyRequestToChange is MyRequest for a state-changing request (a POST about to choose): someone
// else's request is not found and the attempt is written to the audit log.
func (m *Medical) MyRequestToChange(ctx context.Context, who, id int64) (MedicalStatus, error) {
	a, err := m.own(ctx, m.store, who, id, true)
	if err != nil {
		return MedicalStatus{}, err
	}
	return m.status(a), nil
}

// MyAdvice returns the advice of one of who's requests: the person may always read their own advice
// once it is ready, before choosing.
func (m *Medical) MyAdvice(ctx context.Context, who, id int64) (MedicalStatus, error) {
	a, err := m.own(ctx, m.store, who, id, false)
	if err != nil {
		return MedicalStatus{}, err
	}
	if !a.AdviceReadableByInburgeraar() {
		return MedicalStatus{}, domain.Errorf(domain.KindConflict, "error.medical_no_advice")
	}
	return m.status(a), nil
}

// ChoiceInput is one choice under the blocking right with what was shown to the person.
type ChoiceInput struct {
	Keuze  domain.Keuze
	Kanaal domain.Kanaal
	Taal   string
	Tekst  string // the exact explanation of the consequence shown before the choice
	// Versie is the version of the request the person saw (the portal's hidden field, the API's
	// If-Match). A choice made on an older version is refused: two tabs cannot overwrite each other.
	Versie int
}

// Choose records a choice under the blocking right with its evidence, in one transaction.
func (m *Medical) Choose(ctx context.Context, who, id int64, in ChoiceInput) (MedicalStatus, domain.ToestemmingsBewijs, error) {
	if _, err := domain.ParseKeuze(string(in.Keuze)); err != nil {
		return MedicalStatus{}, domain.ToestemmingsBewijs{}, err
	}
	if in.Tekst == "" || len(in.Tekst) > domain.MaxMedicalTextLength || in.Taal == "" || (in.Kanaal != domain.KanaalPortal && in.Kanaal != domain.KanaalAPI) {
		return MedicalStatus{}, domain.ToestemmingsBewijs{}, &domain.Error{Kind: domain.KindInternal, MessageID: "error.internal", Err: fmt.Errorf("consent evidence incomplete")}
	}
	// Ownership first, outside the transaction, so that the audit of a foreign attempt is kept.
	if _, err := m.own(ctx, m.store, who, id, true); err != nil {
		return MedicalStatus{}, domain.ToestemmingsBewijs{}, err
	}
	var out domain.MedischeAanvraag
	var ev domain.ToestemmingsBewijs
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		a, err := st.MedischeAanvraag(ctx, id)
		if err != nil {
			return err
		}
		if a.Versie != in.Versie {
			return domain.Errorf(domain.KindPreconditionFailed, "error.medical_stale")
		}
		to, err := a.Choose(in.Keuze)
		if err != nil {
			return err
		}
		at := m.Service.Now().UTC().Truncate(time.Microsecond)
		if err := st.SetToestemming(ctx, id, a.Versie, to, at); err != nil {
			return err
		}
		ev = domain.ToestemmingsBewijs{AanvraagID: id, Keuze: in.Keuze, Resultaat: to, Op: at, Kanaal: in.Kanaal, Taal: in.Taal,
			Tekstversie: domain.ConsentTextVersion, Tekst: in.Tekst}
		if err := st.AddToestemmingsBewijs(ctx, &ev); err != nil {
			return err
		}
		person, err := st.Inburgeraar(ctx, who)
		if err != nil {
			return err
		}
		if err := st.AppendAudit(ctx, AuditEntry{At: at, Actor: "inburgeraar:" + m.Service.Pseudonym(person.BSN), Action: AuditMedischeKeuze,
			Subject: m.Service.Pseudonym(person.BSN), Details: fmt.Sprintf("aanvraag=%d keuze=%s resultaat=%s kanaal=%s", id, in.Keuze, to, in.Kanaal)}); err != nil {
			return err
		}
		out, err = st.MedischeAanvraag(ctx, id)
		return err
	})
	if err != nil {
		return MedicalStatus{}, domain.ToestemmingsBewijs{}, err
	}
	return m.status(out), ev, nil
}

// History returns the evidence of every choice on one of who's requests, oldest first.
func (m *Medical) History(ctx context.Context, who, id int64) (MedicalStatus, []domain.ToestemmingsBewijs, error) {
	a, err := m.own(ctx, m.store, who, id, false)
	if err != nil {
		return MedicalStatus{}, nil, err
	}
	list, err := m.store.ToestemmingsBewijzen(ctx, id)
	if err != nil {
		return MedicalStatus{}, nil, err
	}
	return m.status(a), list, nil
}

// ---- staff (role duo-medewerker) ----

func staffActor(staff string) string { return "medewerker:" + staff }

func (m *Medical) audit(ctx context.Context, st MedicalStore, staff, action string, person domain.Inburgeraar, details string) error {
	if staff == "" { // the audit log needs the stable staff ID: without it, no access
		return domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	return st.AppendAudit(ctx, AuditEntry{At: m.Service.Now().UTC(), Actor: staffActor(staff), Action: action,
		Subject: m.Service.Pseudonym(person.BSN), Details: details})
}

// StaffCase is what staff see of a person's medical requests: never the advice's content.
type StaffCase struct {
	Person   domain.Inburgeraar
	Requests []MedicalStatus
}

// StaffFind lists the medical requests of the person with BSN rawBSN; the read is audited.
func (m *Medical) StaffFind(ctx context.Context, staff, rawBSN string) (StaffCase, error) {
	bsn, err := domain.ParseBSN(rawBSN)
	if err != nil {
		return StaffCase{}, err
	}
	var out StaffCase
	err = m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		p, err := st.InburgeraarByBSN(ctx, bsn)
		if err != nil {
			return err
		}
		list, err := st.MedischeAanvragen(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := m.audit(ctx, st, staff, AuditMedischeAanvragenIngezien, p, ""); err != nil {
			return err
		}
		out.Person = p
		for _, a := range list {
			out.Requests = append(out.Requests, m.withoutAdvice(a))
		}
		return nil
	})
	return out, err
}

// StaffStatus is request a as staff see it (the tracker's figures, without the advice's content).
func (m *Medical) StaffStatus(a domain.MedischeAanvraag) MedicalStatus { return m.withoutAdvice(a) }

// withoutAdvice is the request as staff see it: the advice's content is never part of it.
func (m *Medical) withoutAdvice(a domain.MedischeAanvraag) MedicalStatus {
	a.Advies = ""
	return m.status(a)
}

// StaffView returns one request without the advice's content; the read is audited.
func (m *Medical) StaffView(ctx context.Context, staff string, id int64) (domain.Inburgeraar, MedicalStatus, error) {
	var p domain.Inburgeraar
	var out MedicalStatus
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		a, err := st.MedischeAanvraag(ctx, id)
		if err != nil {
			return notFoundOr(err)
		}
		if p, err = st.Inburgeraar(ctx, a.InburgeraarID); err != nil {
			return err
		}
		out = m.withoutAdvice(a)
		return m.audit(ctx, st, staff, AuditMedischeAanvraagIngezien, p, "aanvraag="+strconv.FormatInt(id, 10))
	})
	return p, out, err
}

// StaffViewGranted returns one request without the advice's content and without writing the audit
// log. Only for a face that holds proof that this staff member's read of this request was audited
// moments ago (the portal's sealed, short-lived view grant issued by the POST that audited it), so
// that showing the result of that POST on a GET writes nothing.
func (m *Medical) StaffViewGranted(ctx context.Context, staff string, id int64) (domain.Inburgeraar, MedicalStatus, error) {
	if staff == "" {
		return domain.Inburgeraar{}, MedicalStatus{}, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	a, err := m.store.MedischeAanvraag(ctx, id)
	if err != nil {
		return domain.Inburgeraar{}, MedicalStatus{}, notFoundOr(err)
	}
	p, err := m.store.Inburgeraar(ctx, a.InburgeraarID)
	if err != nil {
		return domain.Inburgeraar{}, MedicalStatus{}, err
	}
	return p, m.withoutAdvice(a), nil
}

func notFoundOr(err error) error {
	if domain.ErrorKind(err) == domain.KindNotFound {
		return notFound()
	}
	return err
}

// StaffReadAdvice returns the advice's content only when the inburgeraar consented (the blocking
// right). Every attempt is audited; a refusal is audited and then refused.
func (m *Medical) StaffReadAdvice(ctx context.Context, staff string, id int64) (domain.Inburgeraar, domain.MedischeAanvraag, error) {
	a, err := m.store.MedischeAanvraag(ctx, id)
	if err != nil {
		return domain.Inburgeraar{}, domain.MedischeAanvraag{}, notFoundOr(err)
	}
	p, err := m.store.Inburgeraar(ctx, a.InburgeraarID)
	if err != nil {
		return domain.Inburgeraar{}, domain.MedischeAanvraag{}, err
	}
	details := "aanvraag=" + strconv.FormatInt(id, 10)
	if refusal := a.CanStaffReadAdvice(); refusal != nil {
		if err := m.audit(ctx, m.store, staff, AuditMedischAdviesGeweigerd, p, details+" toestemming="+string(a.Toestemming)); err != nil {
			return domain.Inburgeraar{}, domain.MedischeAanvraag{}, err
		}
		return domain.Inburgeraar{}, domain.MedischeAanvraag{}, refusal
	}
	if err := m.audit(ctx, m.store, staff, AuditMedischAdviesIngezien, p, details); err != nil {
		return domain.Inburgeraar{}, domain.MedischeAanvraag{}, err
	}
	return p, a, nil
}

// StaffRegister registers a new medical request for the person with BSN rawBSN.
func (m *Medical) StaffRegister(ctx context.Context, staff, rawBSN string, soort domain.MedischSoort, requestedOn domain.Date) (domain.MedischeAanvraag, error) {
	bsn, err := domain.ParseBSN(rawBSN)
	if err != nil {
		return domain.MedischeAanvraag{}, err
	}
	if _, err := domain.ParseMedischSoort(string(soort)); err != nil {
		return domain.MedischeAanvraag{}, err
	}
	today := m.Service.Today()
	if requestedOn.After(today) {
		return domain.MedischeAanvraag{}, domain.Invalid(domain.Violation{Field: "datum", MessageID: "error.medical_date_future"})
	}
	var a domain.MedischeAanvraag
	err = m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		p, err := st.InburgeraarByBSN(ctx, bsn)
		if err != nil {
			return err
		}
		a = domain.MedischeAanvraag{InburgeraarID: p.ID, Soort: soort, Kenmerk: newKenmerk(requestedOn), AangevraagdOp: requestedOn,
			Leges: m.Service.Policies.At(requestedOn).MedicalFee, Toestemming: domain.ToestemmingOpen}
		if err := st.CreateMedischeAanvraag(ctx, &a); err != nil {
			return err
		}
		return m.audit(ctx, st, staff, AuditMedischeAanvraagGewijzigd, p, "aanvraag="+strconv.FormatInt(a.ID, 10)+" geregistreerd")
	})
	return a, err
}

func newKenmerk(d domain.Date) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("MA-%04d-%s", d.Year, strings.ToUpper(hex.EncodeToString(b)))
}

// StageUpdate is a stage staff record, standing in for the fee system and the medical adviser.
type StageUpdate struct {
	Fase  domain.MedischeFase // betaald, onderzoek_gepland, onderzocht
	Datum domain.Date
	// WachtOpBehandelaar marks (or clears) that the adviser waits for the treating doctor.
	WachtOpBehandelaar bool
}

// StaffRecordStage records the next stage of a request. Stages are recorded in order, each once,
// on a date between the previous stage and today.
func (m *Medical) StaffRecordStage(ctx context.Context, staff string, id int64, u StageUpdate) (MedicalStatus, error) {
	var out MedicalStatus
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		a, err := st.MedischeAanvraag(ctx, id)
		if err != nil {
			return notFoundOr(err)
		}
		if a.Besluit != nil {
			return domain.Errorf(domain.KindConflict, "error.medical_already_decided")
		}
		if u.Datum.After(m.Service.Today()) {
			return domain.Invalid(domain.Violation{Field: "datum", MessageID: "error.medical_date_future"})
		}
		prev := a.AangevraagdOp
		d := u.Datum
		switch {
		case u.Fase == domain.FaseBetaald && a.BetaaldOp == nil:
			a.BetaaldOp = &d
		case u.Fase == domain.FaseOnderzoekGepland && a.BetaaldOp != nil && a.OnderzoekGepland == nil:
			prev = *a.BetaaldOp
			a.OnderzoekGepland = &d
			a.WachtOpBehandelaar = u.WachtOpBehandelaar
		case u.Fase == domain.FaseOnderzocht && a.OnderzoekGepland != nil && a.OnderzochtOp == nil:
			prev = *a.OnderzoekGepland
			a.OnderzochtOp = &d
			a.WachtOpBehandelaar = false
		default:
			return domain.Errorf(domain.KindConflict, "error.medical_stage_order")
		}
		if d.Before(prev) {
			return domain.Invalid(domain.Violation{Field: "datum", MessageID: "error.medical_date_before_previous"})
		}
		if err := st.UpdateMedischeFasen(ctx, a); err != nil {
			return err
		}
		p, err := st.Inburgeraar(ctx, a.InburgeraarID)
		if err != nil {
			return err
		}
		out = m.withoutAdvice(a)
		return m.audit(ctx, st, staff, AuditMedischeAanvraagGewijzigd, p, fmt.Sprintf("aanvraag=%d fase=%s", id, u.Fase))
	})
	return out, err
}

// StaffRecordAdvice records the medical adviser's advice (standing in for its delivery). The person
// gets a message with the action and the deadline; staff still cannot read the content.
func (m *Medical) StaffRecordAdvice(ctx context.Context, staff string, id int64, advice string) (MedicalStatus, error) {
	advice = strings.TrimSpace(advice)
	if advice == "" || len([]rune(advice)) > domain.MaxMedicalTextLength {
		return MedicalStatus{}, domain.Invalid(domain.Violation{Field: "advies", MessageID: "error.medical_advice_length", Params: map[string]any{"Max": domain.MaxMedicalTextLength}})
	}
	var out MedicalStatus
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		a, err := st.MedischeAanvraag(ctx, id)
		if err != nil {
			return notFoundOr(err)
		}
		if a.OnderzochtOp == nil || a.AdviesGereedOp != nil || a.Besluit != nil {
			return domain.Errorf(domain.KindConflict, "error.medical_stage_order")
		}
		today := m.Service.Today()
		deadline := today.AddDays(m.Service.Policies.At(today).ConsentReplyDays)
		a.AdviesGereedOp, a.ReactieUiterlijk, a.Advies = &today, &deadline, advice
		if err := st.UpdateMedischeFasen(ctx, a); err != nil {
			return err
		}
		p, err := st.Inburgeraar(ctx, a.InburgeraarID)
		if err != nil {
			return err
		}
		if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: BerichtMedischAdvies, CreatedAt: m.Service.Now().UTC(),
			Params: map[string]string{"Kenmerk": a.Kenmerk, "Reactiedatum": deadline.String()}}); err != nil {
			return err
		}
		out = m.withoutAdvice(a)
		return m.audit(ctx, st, staff, AuditMedischeAanvraagGewijzigd, p, fmt.Sprintf("aanvraag=%d advies vastgelegd", id))
	})
	return out, err
}

// StaffDecide records DUO's decision. It takes effect everywhere in the same transaction: an
// extension moves the term, an exemption ends the obligation, a partial exemption marks the PIP's
// parts; the person gets a message.
func (m *Medical) StaffDecide(ctx context.Context, staff string, id, versie int64, b domain.MedischBesluit) (MedicalStatus, error) {
	if err := b.Validate(); err != nil {
		return MedicalStatus{}, err
	}
	var out MedicalStatus
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		st := m.store
		a, err := st.MedischeAanvraag(ctx, id)
		if err != nil {
			return notFoundOr(err)
		}
		if versie >= 0 && int64(a.Versie) != versie { // a negative versie is If-Match: *
			return domain.Errorf(domain.KindPreconditionFailed, "error.medical_stale")
		}
		today := m.Service.Today()
		if err := a.CanDecide(today); err != nil {
			return err
		}
		b.Datum = today
		b.Kenmerk = a.Kenmerk
		if b.Uitkomst != domain.UitkomstGedeeltelijk {
			b.Onderdelen = nil
		}
		if b.Uitkomst != domain.UitkomstAangepasteVoorwaarden {
			b.Voorwaarden = ""
		}
		if b.Uitkomst != domain.UitkomstVerlenging {
			b.Maanden = 0
		}
		if err := st.SetMedischBesluit(ctx, id, a.Versie, b); err != nil {
			return err
		}
		switch b.Uitkomst {
		case domain.UitkomstVerlenging:
			err = st.AddExtension(ctx, a.InburgeraarID, domain.Extension{Ground: domain.GroundZiekte, Months: b.Maanden, DecisionDate: today, Reference: a.Kenmerk})
		case domain.UitkomstToegekend:
			err = st.SetExemptedOn(ctx, a.InburgeraarID, today)
		case domain.UitkomstGedeeltelijk:
			err = st.ExemptPIPComponents(ctx, a.InburgeraarID, b.Onderdelen)
		}
		if err != nil {
			return err
		}
		p, err := st.Inburgeraar(ctx, a.InburgeraarID)
		if err != nil {
			return err
		}
		if err := st.AddBericht(ctx, &domain.Bericht{InburgeraarID: p.ID, Kind: BerichtMedischBesluit, CreatedAt: m.Service.Now().UTC(),
			Params: map[string]string{"Kenmerk": a.Kenmerk, "Besluitdatum": today.String()}}); err != nil {
			return err
		}
		if err := m.audit(ctx, st, staff, AuditMedischBesluit, p, fmt.Sprintf("aanvraag=%d uitkomst=%s", id, b.Uitkomst)); err != nil {
			return err
		}
		a, err = st.MedischeAanvraag(ctx, id)
		out = m.withoutAdvice(a)
		return err
	})
	return out, err
}

// MedicalCursor is the position in the staff work list: the id of the last request on the page.
type MedicalCursor struct{ ID int64 }

// String encodes the cursor as an opaque, URL-safe token.
func (c MedicalCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10)))
}

// ParseMedicalCursor decodes a cursor token; anything malformed or non-canonical is invalid input.
func ParseMedicalCursor(s string) (MedicalCursor, error) {
	bad := domain.Invalid(domain.Violation{Field: "cursor", MessageID: "error.cursor_invalid"})
	if len(s) > 200 {
		return MedicalCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return MedicalCursor{}, bad
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || n <= 0 {
		return MedicalCursor{}, bad
	}
	c := MedicalCursor{ID: n}
	if c.String() != s {
		return MedicalCursor{}, bad
	}
	return c, nil
}

// MedicalWorkPage is one page of the staff work list.
type MedicalWorkPage struct {
	Requests []MedicalStatus // without the advice's content, and naming nobody
	Next     *MedicalCursor  // nil on the last page
}

// StaffWorkList is the staff work list: every request in order of registration, with its stage and
// who must act, but neither the person nor the advice. It reads no one's personal data and so is
// not audited (opening one request is: StaffView).
func (m *Medical) StaffWorkList(ctx context.Context, staff string, after *MedicalCursor, limit int) (MedicalWorkPage, error) {
	if staff == "" {
		return MedicalWorkPage{}, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	var from int64
	if after != nil {
		from = after.ID
	}
	list, err := m.store.MedischeAanvragenNa(ctx, from, limit+1)
	if err != nil {
		return MedicalWorkPage{}, err
	}
	var out MedicalWorkPage
	if len(list) > limit {
		list = list[:limit]
		out.Next = &MedicalCursor{ID: list[len(list)-1].ID}
	}
	for _, a := range list {
		out.Requests = append(out.Requests, m.withoutAdvice(a))
	}
	return out, nil
}

// StaffInspection is what one audited staff read returns: the request without the advice's
// content, the person, and the evidence of every choice under the blocking right.
type StaffInspection struct {
	Person   domain.Inburgeraar
	Request  MedicalStatus
	Evidence []domain.ToestemmingsBewijs
}

// StaffInspect returns one request with its consent evidence; the read is audited in the same
// transaction (a face reaches it through a POST: a GET never writes).
func (m *Medical) StaffInspect(ctx context.Context, staff string, id int64) (StaffInspection, error) {
	var out StaffInspection
	err := m.Service.tx.InTx(ctx, func(ctx context.Context) error {
		p, r, err := m.StaffView(ctx, staff, id)
		if err != nil {
			return err
		}
		ev, err := m.store.ToestemmingsBewijzen(ctx, id)
		if err != nil {
			return err
		}
		out = StaffInspection{Person: p, Request: r, Evidence: ev}
		return nil
	})
	return out, err
}
