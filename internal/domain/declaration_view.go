package domain

import "sort"

// Counts reports whether the declaration's hours count towards the person's total: only
// accepted declarations do (domain.md §8: hours are counted once they are verified).
func (d Declaration) Counts() bool { return d.Status == DeclarationAccepted }

// Pending reports whether the declaration is still being verified.
func (d Declaration) Pending() bool {
	return d.Status != DeclarationAccepted && d.Status != DeclarationRefused
}

// SchoolHours are the hours one school declared for a person.
type SchoolHours struct {
	SchoolID int64
	Accepted int // hours of accepted declarations: these count
	Pending  int // hours still being verified
	Refused  int // hours of refused declarations: these do not count
}

// HoursPerSchool totals a person's declarations per school, in order of school id, and the
// accepted hours over all schools.
func HoursPerSchool(ds []Declaration) (perSchool []SchoolHours, accepted int) {
	idx := map[int64]int{}
	for _, d := range ds {
		i, ok := idx[d.SchoolID]
		if !ok {
			i = len(perSchool)
			idx[d.SchoolID] = i
			perSchool = append(perSchool, SchoolHours{SchoolID: d.SchoolID})
		}
		switch {
		case d.Counts():
			perSchool[i].Accepted += d.Hours
			accepted += d.Hours
		case d.Pending():
			perSchool[i].Pending += d.Hours
		default:
			perSchool[i].Refused += d.Hours
		}
	}
	sort.Slice(perSchool, func(a, b int) bool { return perSchool[a].SchoolID < perSchool[b].SchoolID })
	return perSchool, accepted
}

// AGIProgress is a Wi2013 person's way towards the exemption for demonstrable effort (ontheffing
// wegens aantoonbaar geleverde inspanning, AGI; domain.md §8): enough classroom hours at keurmerk
// schools, a term that has run long enough, and enough attempts at each exam part. The portal
// shows the hours and the time; the attempts are DUO's to check (the exam records are not here).
type AGIProgress struct {
	Hours         int // accepted hours
	RequiredHours int
	HoursLeft     int // 0 once met
	HoursMet      bool
	// TimeMetFrom is the day the term has run AGITermMonths; nil while the term has not started.
	TimeMetFrom *Date
	TimeMet     bool
	// AttemptsPerExam is the number of attempts each exam part needs.
	AttemptsPerExam int
}

// ComputeAGIProgress computes the AGI progress on today for a person under regime with the term
// starting termStart and acceptedHours; ok is false outside Wi2013, where the AGI does not exist.
func ComputeAGIProgress(regime Regime, termStart *Date, acceptedHours int, today Date, p Policy) (AGIProgress, bool) {
	if regime != Wi2013 {
		return AGIProgress{}, false
	}
	g := AGIProgress{Hours: acceptedHours, RequiredHours: p.AGIHours, AttemptsPerExam: p.AGIAttemptsPerExam}
	g.HoursMet = acceptedHours >= p.AGIHours
	if !g.HoursMet {
		g.HoursLeft = p.AGIHours - acceptedHours
	}
	if termStart != nil {
		from := termStart.AddMonths(p.AGITermMonths)
		g.TimeMetFrom = &from
		g.TimeMet = !today.Before(from)
	}
	return g, true
}

// ExemptionRestsOnHours reports whether an exemption a person holds rests on their hour
// declarations (domain.md §8: a refused declaration takes "the exemption that rests on it" with
// it). Only Wi2013 has an exemption that rests on hours, the AGI (at least p.AGIHours accepted
// hours); it stands as long as the accepted hours without the refused declaration still reach the
// threshold. Under Wi2007 and Wi2021 no exemption rests on hours (it rests on a medical or other
// ground), so a refused declaration leaves it alone.
func ExemptionRestsOnHours(regime Regime, acceptedWithout int, p Policy) bool {
	return regime == Wi2013 && acceptedWithout < p.AGIHours
}

// DeadlinePassed reports whether the last day of the running step lies before today, a calendar
// date in Europe/Amsterdam (Today). The deadline day itself is still open. The job that moves
// the step on runs once that day is over and may run late; until it has run the status still
// names the step whose time is up, so every face asks this, not the status, before it asks the
// person to act by the date.
func (d Declaration) DeadlinePassed(today Date) bool {
	return d.Deadline != nil && d.Deadline.Before(today)
}

// StepMessageID is the message under prefix (such as "hours.explain.") that speaks of d's status
// on day today: prefix+status while the step's deadline lies ahead, prefix+status+"_passed" once
// it has passed, a text that says the period ended on that date and what happens now, never
// "by {date}" (domain.md §8: no evidence → intent to refuse; no response → refusal).
func (d Declaration) StepMessageID(prefix string, today Date) string {
	id := prefix + string(d.Status)
	if d.DeadlinePassed(today) {
		id += "_passed"
	}
	return id
}

// AdviceBy is the date by which d asks the person to act on day today: the deadline of a step
// that waits for them (evidence asked, intent to refuse) while it is today or later; nil when
// nothing is asked of them by a date.
func (d Declaration) AdviceBy(today Date) *Date {
	if d.Deadline == nil || d.DeadlinePassed(today) {
		return nil
	}
	if d.Status != DeclarationAskEvidence && d.Status != DeclarationIntentToRefuse {
		return nil
	}
	return d.Deadline
}

// TakesEvidence reports whether the person may send evidence for d on day today: while DUO asks
// for it, also once that step's deadline has passed (the next step, the intent to refuse, takes
// it as a response, so taking it early only helps), and while they may respond to an intent to
// refuse, up to and including its last day; after that day DUO decides.
func (d Declaration) TakesEvidence(today Date) bool {
	switch d.Status {
	case DeclarationAskEvidence:
		return true
	case DeclarationIntentToRefuse:
		return !d.DeadlinePassed(today)
	}
	return false
}
