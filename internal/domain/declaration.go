package domain

import (
	"strconv"
	"time"
)

// CourseType is the kind of course a contract or an hour declaration is for (domain.md §1).
type CourseType string

const (
	CourseAlfabetisering CourseType = "alfabetisering"
	CourseInburgering    CourseType = "inburgering"
	CourseNT2            CourseType = "nt2"
)

// ParseCourseType accepts exactly one of the course types.
func ParseCourseType(s string) (CourseType, bool) {
	switch c := CourseType(s); c {
	case CourseAlfabetisering, CourseInburgering, CourseNT2:
		return c, true
	}
	return "", false
}

// Limits on what a school declares. [assume]: not in the law; configuration for that reason.
const (
	MaxLessonHoursPerDay = 12  // a day holds at most this many classroom hours [assume]
	MaxPeriodDays        = 366 // a declaration or contract covers at most a year and a day [assume]
	MaxPurchasedHours    = 5000
)

// Contract is a school's contract with an inburgeraar for a course (the monthly contract file).
type Contract struct {
	ID             int64
	SchoolID       int64
	InburgeraarID  int64
	BSN            BSN
	CourseType     CourseType
	Start, End     Date
	PurchasedHours int
	CreatedAt      time.Time
}

// Validate checks a contract; every violation is listed.
func (c Contract) Validate() error {
	var v []Violation
	if c.End.Before(c.Start) {
		v = append(v, Violation{Field: "einddatum", MessageID: "error.period_order"})
	}
	if c.PurchasedHours < 1 || c.PurchasedHours > MaxPurchasedHours {
		v = append(v, Violation{Field: "ingekochteUren", MessageID: "error.hours_range", Params: map[string]any{"Max": MaxPurchasedHours}})
	}
	if len(v) > 0 {
		return Invalid(v...)
	}
	return nil
}

// Covers reports whether the contract backs a declaration: the same course type and the
// declared period inside the contract's.
func (c Contract) Covers(d Declaration) bool {
	return c.InburgeraarID == d.InburgeraarID && c.SchoolID == d.SchoolID && c.CourseType == d.CourseType &&
		!d.PeriodStart.Before(c.Start) && !d.PeriodEnd.After(c.End)
}

// DeclarationStatus is where an hour declaration is in its verification (domain.md §8).
type DeclarationStatus string

const (
	DeclarationAccepted         DeclarationStatus = "geaccepteerd"
	DeclarationAskSchool        DeclarationStatus = "verificatie_school"  // no contract: the school is asked
	DeclarationAskEvidence      DeclarationStatus = "bewijs_gevraagd"     // the inburgeraar is asked for evidence
	DeclarationEvidenceReceived DeclarationStatus = "bewijs_ontvangen"    // staff review the evidence
	DeclarationIntentToRefuse   DeclarationStatus = "voornemen_afwijzing" // the person may respond
	DeclarationRefused          DeclarationStatus = "afgewezen"
)

// Declaration is a school's declaration that an inburgeraar attended Hours classroom hours of a
// course in a period (urenverklaring).
type Declaration struct {
	ID            int64
	SchoolID      int64
	InburgeraarID int64
	BSN           BSN
	ContractID    *int64 // the contract that backs it, if one does
	CourseType    CourseType
	PeriodStart   Date
	PeriodEnd     Date
	Hours         int
	Status        DeclarationStatus
	Deadline      *Date // the day the current step ends, while one is running
	Forgery       bool  // the school denied issuing it: to be reported as forgery
	CreatedAt     time.Time
}

// ValidateDeclaration checks what a school declares, on day today; every violation is listed:
// negative hours, more hours than the period holds, a period that is reversed, too long or not
// over yet.
func (d Declaration) Validate(today Date) error {
	var v []Violation
	days := d.PeriodStart.DaysUntil(d.PeriodEnd) + 1
	switch {
	case d.PeriodEnd.Before(d.PeriodStart):
		v = append(v, Violation{Field: "periodeTot", MessageID: "error.period_order"})
	case days > MaxPeriodDays:
		v = append(v, Violation{Field: "periodeTot", MessageID: "error.period_length", Params: map[string]any{"Max": MaxPeriodDays}})
	}
	if d.PeriodEnd.After(today) {
		v = append(v, Violation{Field: "periodeTot", MessageID: "error.period_future"})
	}
	switch {
	case d.Hours < 0:
		v = append(v, Violation{Field: "uren", MessageID: "error.hours_negative"})
	case days >= 1 && d.Hours > days*MaxLessonHoursPerDay:
		v = append(v, Violation{Field: "uren", MessageID: "error.hours_period", Params: map[string]any{"Max": days * MaxLessonHoursPerDay}})
	}
	if len(v) > 0 {
		return Invalid(v...)
	}
	return nil
}

// VerificationPeriods are the periods of the verification flow. [assume] except where noted.
type VerificationPeriods struct {
	SchoolAnswerDays int // the school's time to answer (default 14 days, the issue)
	EvidenceDays     int // the inburgeraar's time to upload evidence
	ResponseDays     int // the time to respond to an intent to refuse (zienswijze)
}

// DefaultVerificationPeriods are the periods used unless configured otherwise.
func DefaultVerificationPeriods() VerificationPeriods {
	return VerificationPeriods{SchoolAnswerDays: 14, EvidenceDays: 28, ResponseDays: 14}
}

// DeclarationEvent is what happens to a declaration.
type DeclarationEvent string

const (
	EventSchoolConfirms   DeclarationEvent = "school_bevestigt"
	EventSchoolDenies     DeclarationEvent = "school_ontkent"
	EventDeadlinePassed   DeclarationEvent = "termijn_verstreken"
	EventEvidenceUploaded DeclarationEvent = "bewijs_geupload"
	EventStaffAccepts     DeclarationEvent = "medewerker_accepteert"
	EventStaffIntends     DeclarationEvent = "medewerker_voornemen"
	EventStaffRefuses     DeclarationEvent = "medewerker_weigert"
)

// Submit places a new declaration at the start of its verification: accepted when a contract
// backs it, else the school is asked, with a deadline.
func (d Declaration) Submit(backing *Contract, today Date, p VerificationPeriods) Declaration {
	d.ContractID, d.Deadline, d.Forgery = nil, nil, false
	if backing != nil && backing.Covers(d) {
		id := backing.ID
		d.ContractID = &id
		d.Status = DeclarationAccepted
		return d
	}
	d.Status = DeclarationAskSchool
	dl := today.AddDays(p.SchoolAnswerDays)
	d.Deadline = &dl
	return d
}

// Apply moves a declaration on by event on day today (domain.md §8). An event that does not
// apply in the current status is a conflict; a deadline that has not passed yet is one too.
func (d Declaration) Apply(e DeclarationEvent, today Date, p VerificationPeriods) (Declaration, error) {
	conflict := Errorf(KindConflict, "error.declaration_state")
	next := d
	set := func(s DeclarationStatus, days int) {
		next.Status = s
		if days > 0 {
			dl := today.AddDays(days)
			next.Deadline = &dl
		} else {
			next.Deadline = nil
		}
	}
	switch {
	case d.Status == DeclarationAskSchool && e == EventSchoolConfirms:
		set(DeclarationAccepted, 0)
	case d.Status == DeclarationAskSchool && e == EventSchoolDenies:
		set(DeclarationRefused, 0)
		next.Forgery = true
	case e == EventDeadlinePassed:
		if d.Deadline == nil || !today.After(*d.Deadline) {
			return d, conflict
		}
		switch d.Status {
		case DeclarationAskSchool: // no answer: ask the inburgeraar
			set(DeclarationAskEvidence, p.EvidenceDays)
		case DeclarationAskEvidence: // no evidence: still not verifiable
			set(DeclarationIntentToRefuse, p.ResponseDays)
		case DeclarationIntentToRefuse: // no response that changed it: the refusal follows
			set(DeclarationRefused, 0)
		default:
			return d, conflict
		}
	case d.Status == DeclarationAskEvidence && e == EventEvidenceUploaded:
		set(DeclarationEvidenceReceived, 0)
	case (d.Status == DeclarationEvidenceReceived || d.Status == DeclarationIntentToRefuse) && e == EventStaffAccepts:
		set(DeclarationAccepted, 0)
	case d.Status == DeclarationEvidenceReceived && e == EventStaffIntends:
		set(DeclarationIntentToRefuse, p.ResponseDays)
	case d.Status == DeclarationIntentToRefuse && e == EventStaffRefuses:
		set(DeclarationRefused, 0)
	default:
		return d, conflict
	}
	return next, nil
}

// Version names the declaration's state, for ETag/If-Match: it changes with every step.
func (d Declaration) Version() string {
	return "u" + strconv.FormatInt(d.ID, 10) + "-" + string(d.Status)
}

// Final reports whether the declaration's verification is over.
func (d Declaration) Final() bool {
	return d.Status == DeclarationAccepted || d.Status == DeclarationRefused
}
