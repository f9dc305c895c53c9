package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/inburgering/portal/internal/domain"
)

// DeclarationStore is the storage port of contracts and hour declarations (issue 10).
type DeclarationStore interface {
	CreateContract(ctx context.Context, c *domain.Contract) error
	// ContractPage lists schoolID's contracts by ascending id after afterID, at most limit.
	ContractPage(ctx context.Context, schoolID, afterID int64, limit int) ([]domain.Contract, error)
	// SchoolRelation returns the inburgeraar with bsn and what ties schoolID to them, in one read
	// (every declaration runs it); not found when no inburgeraar has the BSN.
	SchoolRelation(ctx context.Context, schoolID int64, bsn domain.BSN) (SchoolRelation, error)
	CreateDeclaration(ctx context.Context, d *domain.Declaration) error
	// DeclarationPage lists schoolID's declarations by ascending id after afterID, at most limit;
	// only those in status when it is not empty.
	DeclarationPage(ctx context.Context, schoolID, afterID int64, status domain.DeclarationStatus, limit int) ([]domain.Declaration, error)
	// Declaration returns one declaration; schoolID 0 means any school's (staff, deadlines).
	Declaration(ctx context.Context, schoolID, id int64) (domain.Declaration, error)
	// SaveDeclarationStep stores d's status, deadline and forgery flag when the stored status is
	// still from; a conflict when it moved on meanwhile (another instance, another answer).
	SaveDeclarationStep(ctx context.Context, d domain.Declaration, from domain.DeclarationStatus) error
	// DeclarationsDue lists the ids of declarations whose deadline ended before today.
	DeclarationsDue(ctx context.Context, today domain.Date, limit int) ([]int64, error)
}

// SchoolRelation is what a declaration needs to know of the student a school names.
type SchoolRelation struct {
	InburgeraarID int64
	Contracts     []domain.Contract // the school's contracts with them, by ascending id
	Declared      bool              // the school declared hours of them before
}

// Audit actions of the verification flow.
const (
	AuditDeclarationStep = "urenverklaring_stap"
)

// IDCursor is the position after which the next page starts, for lists in ascending id order.
type IDCursor int64

// String encodes the cursor as an opaque, URL-safe token.
func (c IDCursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte("id." + strconv.FormatInt(int64(c), 10)))
}

// ParseIDCursor decodes a cursor token; anything malformed is invalid input.
func ParseIDCursor(s string) (IDCursor, error) {
	bad := domain.Invalid(domain.Violation{Field: "cursor", MessageID: "error.cursor_invalid"})
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 40 || len(raw) < 4 || string(raw[:3]) != "id." {
		return 0, bad
	}
	n, err := strconv.ParseInt(string(raw[3:]), 10, 64)
	if err != nil || n <= 0 || IDCursor(n).String() != s {
		return 0, bad
	}
	return IDCursor(n), nil
}

// pageLimit checks a page size.
func pageLimit(limit int) error {
	if limit < 1 || limit > MaxPageSize {
		return domain.Invalid(domain.Violation{Field: "limit", MessageID: "error.limit_range", Params: map[string]any{"Max": MaxPageSize}})
	}
	return nil
}

// student resolves the BSN a school names to the inburgeraar. An unknown BSN and one the school
// has no relation with are refused alike (requireRelation), so a school cannot probe who has the
// obligation.
func (s *Service) student(ctx context.Context, field, raw string) (domain.Inburgeraar, error) {
	bsn, err := studentBSN(field, raw)
	if err != nil {
		return domain.Inburgeraar{}, err
	}
	i, err := s.people.InburgeraarByBSN(ctx, bsn)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return i, domain.Invalid(domain.Violation{Field: field, MessageID: "error.no_relation"})
	}
	return i, err
}

// studentBSN parses the BSN a school sends in field.
func studentBSN(field, raw string) (domain.BSN, error) {
	bsn, err := domain.ParseBSN(raw)
	if err != nil {
		if de, ok := err.(*domain.Error); ok {
			for i := range de.Violations {
				de.Violations[i].Field = field
			}
		}
		return "", err
	}
	return bsn, nil
}

// NewContract is what a school sends to record a contract.
type NewContract struct {
	BSN            string
	CourseType     domain.CourseType
	Start, End     domain.Date
	PurchasedHours int
}

// CreateContract records a contract of the acting school with an inburgeraar: it establishes
// the school's relation with that person.
func (s *Service) CreateContract(ctx context.Context, in NewContract) (domain.Contract, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return domain.Contract{}, err
	}
	c := domain.Contract{SchoolID: p.SchoolID, CourseType: in.CourseType, Start: in.Start, End: in.End, PurchasedHours: in.PurchasedHours, CreatedAt: s.Now().UTC()}
	verr := c.Validate()
	i, err := s.people.InburgeraarByBSN(ctx, domain.BSN(in.BSN))
	if _, berr := domain.ParseBSN(in.BSN); berr != nil {
		return c, mergeInvalid(berr, verr, "bsn")
	}
	if domain.ErrorKind(err) == domain.KindNotFound {
		return c, mergeInvalid(domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.bsn_unknown"}), verr, "bsn")
	}
	if err != nil {
		return c, err
	}
	if verr != nil {
		return c, verr
	}
	c.InburgeraarID, c.BSN = i.ID, i.BSN
	err = s.declarations.CreateContract(ctx, &c)
	return c, err
}

// mergeInvalid lists the violations of both errors, the first's field renamed to field.
func mergeInvalid(first, second error, field string) error {
	var v []domain.Violation
	if de, ok := first.(*domain.Error); ok {
		for _, x := range de.Violations {
			x.Field = field
			v = append(v, x)
		}
	}
	if de, ok := second.(*domain.Error); ok && de != nil {
		v = append(v, de.Violations...)
	}
	return domain.Invalid(v...)
}

// ContractsPage is one page of a school's contracts.
type ContractsPage struct {
	Contracts []domain.Contract
	Next      *IDCursor
}

// Contracts lists the acting school's contracts, oldest first.
func (s *Service) Contracts(ctx context.Context, after IDCursor, limit int) (ContractsPage, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return ContractsPage{}, err
	}
	if err := pageLimit(limit); err != nil {
		return ContractsPage{}, err
	}
	list, err := s.declarations.ContractPage(ctx, p.SchoolID, int64(after), limit+1)
	if err != nil {
		return ContractsPage{}, err
	}
	page := ContractsPage{Contracts: list}
	if len(list) > limit {
		page.Contracts = list[:limit]
		next := IDCursor(list[limit-1].ID)
		page.Next = &next
	}
	return page, nil
}

// NewDeclaration is what a school declares.
type NewDeclaration struct {
	BSN                    string
	CourseType             domain.CourseType
	PeriodStart, PeriodEnd domain.Date
	Hours                  int
}

// Declare records an hour declaration of the acting school and starts its verification: with a
// contract that backs it, it is accepted; without, the school is asked (domain.md §8). The school
// must have a relation with the person: a contract or an earlier declaration.
func (s *Service) Declare(ctx context.Context, in NewDeclaration) (domain.Declaration, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return domain.Declaration{}, err
	}
	today := s.Today()
	d := domain.Declaration{SchoolID: p.SchoolID, CourseType: in.CourseType, PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, Hours: in.Hours, CreatedAt: s.Now().UTC()}
	verr := d.Validate(today)
	// The student, the school's contracts with them and whether it declared hours of them before,
	// in one read. Contracts are only ever added, never changed or removed, so reading them before
	// the transaction finds what a read inside it would (PostgreSQL runs it in read committed): at
	// most a contract added at that very moment is missed, as one added a moment later would be.
	bsn, err := studentBSN("bsn", in.BSN)
	var rel SchoolRelation
	if err == nil {
		rel, err = s.declarations.SchoolRelation(ctx, p.SchoolID, bsn)
		if domain.ErrorKind(err) == domain.KindNotFound {
			err = domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.no_relation"})
		}
	}
	if err != nil {
		if domain.ErrorKind(err) == domain.KindInvalid {
			return d, mergeInvalid(err, verr, "bsn")
		}
		return d, err
	}
	if verr != nil {
		return d, verr
	}
	if len(rel.Contracts) == 0 && !rel.Declared {
		return d, domain.Invalid(domain.Violation{Field: "bsn", MessageID: "error.no_relation"})
	}
	d.InburgeraarID, d.BSN = rel.InburgeraarID, bsn
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var backing *domain.Contract
		for k := range rel.Contracts {
			if rel.Contracts[k].Covers(d) {
				backing = &rel.Contracts[k]
				break
			}
		}
		d = d.Submit(backing, today, s.Verification)
		if err := s.declarations.CreateDeclaration(ctx, &d); err != nil {
			return err
		}
		return s.scheduleDeadline(ctx, d)
	})
	return d, err
}

// DeclarationsPage is one page of a school's declarations.
type DeclarationsPage struct {
	Declarations []domain.Declaration
	Next         *IDCursor
}

// Declarations lists the acting school's declarations, oldest first; only those in status when
// it is not empty (the verification requests are those in verificatie_school).
func (s *Service) Declarations(ctx context.Context, status domain.DeclarationStatus, after IDCursor, limit int) (DeclarationsPage, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return DeclarationsPage{}, err
	}
	if err := pageLimit(limit); err != nil {
		return DeclarationsPage{}, err
	}
	list, err := s.declarations.DeclarationPage(ctx, p.SchoolID, int64(after), status, limit+1)
	if err != nil {
		return DeclarationsPage{}, err
	}
	page := DeclarationsPage{Declarations: list}
	if len(list) > limit {
		page.Declarations = list[:limit]
		next := IDCursor(list[limit-1].ID)
		page.Next = &next
	}
	return page, nil
}

// SchoolDeclaration returns one declaration of the acting school.
func (s *Service) SchoolDeclaration(ctx context.Context, id int64) (domain.Declaration, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return domain.Declaration{}, err
	}
	return s.declarations.Declaration(ctx, p.SchoolID, id)
}

// AnswerVerification records the acting school's answer to a verification request: it confirms
// or denies having issued the declaration. A denial refuses it and flags it as forgery.
// ifMatch is the version (domain.Declaration.Version) the school last saw: required, and it must
// still be current.
func (s *Service) AnswerVerification(ctx context.Context, id int64, confirmed bool, ifMatch string) (domain.Declaration, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return domain.Declaration{}, err
	}
	e := domain.EventSchoolDenies
	if confirmed {
		e = domain.EventSchoolConfirms
	}
	if ifMatch == "" {
		return domain.Declaration{}, domain.Errorf(domain.KindPreconditionRequired, "error.if_match_required")
	}
	return s.step(ctx, p.SchoolID, id, e, p.Actor(), ifMatch)
}

// step applies event to declaration id (of schoolID, or any when 0) in one transaction,
// audited; a conflict when the declaration moved on meanwhile.
func (s *Service) step(ctx context.Context, schoolID, id int64, e domain.DeclarationEvent, actor, ifMatch string) (domain.Declaration, error) {
	var out domain.Declaration
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.declarations.Declaration(ctx, schoolID, id)
		if err != nil {
			return err
		}
		if ifMatch != "" && ifMatch != "*" && ifMatch != d.Version() {
			return domain.Errorf(domain.KindPreconditionFailed, "error.if_match_stale")
		}
		next, err := d.Apply(e, s.Today(), s.Verification)
		if err != nil {
			return err
		}
		if err := s.declarations.SaveDeclarationStep(ctx, next, d.Status); err != nil {
			return err
		}
		if err := s.scheduleDeadline(ctx, next); err != nil {
			return err
		}
		if d.Status == domain.DeclarationIntentToRefuse && next.Status == domain.DeclarationRefused {
			if err := s.refuseExemption(ctx, next, actor); err != nil { // evidence.go
				return err
			}
		}
		if err := s.notifyStep(ctx, next); err != nil { // evidence.go
			return err
		}
		out = next
		return s.audit.AppendAudit(ctx, AuditEntry{At: s.Now().UTC(), Actor: actor, Action: AuditDeclarationStep,
			Subject: s.Pseudonym(d.BSN), Details: "urenverklaring " + strconv.FormatInt(id, 10) + ": " + string(e) + " → " + string(next.Status)})
	})
	return out, err
}

// AdvanceDeadline moves declaration id on when its deadline passed (the job the deadline
// scheduler runs). It is idempotent: a declaration that moved on already is left alone.
func (s *Service) AdvanceDeadline(ctx context.Context, id int64) error {
	_, err := s.step(ctx, 0, id, domain.EventDeadlinePassed, "systeem:termijnbewaking", "")
	if domain.ErrorKind(err) == domain.KindConflict || domain.ErrorKind(err) == domain.KindNotFound {
		return nil
	}
	return err
}

// KindDeclarationDeadline is the job that moves a declaration on when the deadline of its
// current step has passed (domain.md §8): one per step, enqueued with the step, in its transaction.
const KindDeclarationDeadline = "verificatie.termijn"

// DeadlineJob is the args of KindDeclarationDeadline: IDs only, no personal data.
type DeadlineJob struct {
	DeclarationID int64                    `json:"urenverklaringId"`
	Status        domain.DeclarationStatus `json:"status"`
}

// scheduleDeadline enqueues, in ctx's transaction, the job that ends d's current step: it runs
// the moment the deadline's day is over in Amsterdam (midnight there, not UTC midnight: that
// left the step running for the first hour or two of the next Dutch day). Pages do not rely on
// it having run: they compare the deadline with the Dutch date (Declaration.DeadlinePassed).
func (s *Service) scheduleDeadline(ctx context.Context, d domain.Declaration) error {
	if d.Deadline == nil || s.Jobs == nil {
		return nil
	}
	args, err := json.Marshal(DeadlineJob{DeclarationID: d.ID, Status: d.Status})
	if err != nil {
		return err
	}
	return s.Jobs.Enqueue(ctx, Job{Kind: KindDeclarationDeadline, Args: args, RunAt: d.Deadline.AddDays(1).Start(),
		UniqueKey: "urenverklaring-" + strconv.FormatInt(d.ID, 10) + "-" + string(d.Status)})
}

// errNotDueYet makes the deadline job run again later: it came before the deadline had passed
// (clock skew between the job queue and the service).
var errNotDueYet = errors.New("deadline not passed yet")

// RunDeadlineJob is the handler of KindDeclarationDeadline. It is idempotent: a declaration that
// has left the step the job was made for is left alone; one whose deadline has not passed yet
// is tried again later.
func (s *Service) RunDeadlineJob(ctx context.Context, j DeadlineJob) error {
	d, err := s.declarations.Declaration(ctx, 0, j.DeclarationID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Status != j.Status || d.Deadline == nil {
		return nil
	}
	if !s.Today().After(*d.Deadline) {
		return errNotDueYet
	}
	return s.AdvanceDeadline(ctx, d.ID)
}

// DueDeclarations lists the declarations whose deadline has passed, at most limit.
func (s *Service) DueDeclarations(ctx context.Context, limit int) ([]int64, error) {
	return s.declarations.DeclarationsDue(ctx, s.Today(), limit)
}
