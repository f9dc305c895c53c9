package domain

import (
	"testing"
	"time"
)

// The deadline day is still open; the next Dutch day it has passed, also in its first hour,
// while UTC still reads the deadline's date.
func TestDeclarationDeadlineOnTheDay(t *testing.T) {
	dl := NewDate(2026, 12, 19)
	ask := Declaration{Status: DeclarationAskEvidence, Deadline: &dl}
	intent := Declaration{Status: DeclarationIntentToRefuse, Deadline: &dl}
	school := Declaration{Status: DeclarationAskSchool, Deadline: &dl}
	tests := []struct {
		now                time.Time
		passed             bool
		askID, schoolID    string
		intentTakes, advis bool
	}{
		{time.Date(2026, 12, 18, 12, 0, 0, 0, time.UTC), false, "hours.explain.bewijs_gevraagd", "hours.explain.verificatie_school", true, true},
		{time.Date(2026, 12, 19, 22, 59, 0, 0, time.UTC), false, "hours.explain.bewijs_gevraagd", "hours.explain.verificatie_school", true, true},               // 23:59 in Amsterdam
		{time.Date(2026, 12, 19, 23, 0, 0, 0, time.UTC), true, "hours.explain.bewijs_gevraagd_passed", "hours.explain.verificatie_school_passed", false, false}, // 00:00 the next Dutch day
		{time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC), true, "hours.explain.bewijs_gevraagd_passed", "hours.explain.verificatie_school_passed", false, false},
	}
	for _, tt := range tests {
		today := Today(tt.now)
		if got := ask.DeadlinePassed(today); got != tt.passed {
			t.Errorf("%s: passed %v, want %v", tt.now, got, tt.passed)
		}
		if got := ask.StepMessageID("hours.explain.", today); got != tt.askID {
			t.Errorf("%s: %s, want %s", tt.now, got, tt.askID)
		}
		if got := school.StepMessageID("hours.explain.", today); got != tt.schoolID {
			t.Errorf("%s: %s, want %s", tt.now, got, tt.schoolID)
		}
		if !ask.TakesEvidence(today) {
			t.Errorf("%s: evidence asked but not taken", tt.now)
		}
		if got := intent.TakesEvidence(today); got != tt.intentTakes {
			t.Errorf("%s: response to the intent taken %v, want %v", tt.now, got, tt.intentTakes)
		}
		if got := ask.AdviceBy(today) != nil; got != tt.advis {
			t.Errorf("%s: advice %v, want %v", tt.now, got, tt.advis)
		}
		if school.AdviceBy(today) != nil {
			t.Errorf("%s: the school's step advises the person", tt.now)
		}
	}
	// The deadline job's moment: the first instant of the next Dutch day, in winter and summer.
	if got, want := dl.AddDays(1).Start(), time.Date(2026, 12, 19, 23, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("start of 20 Dec: %s, want %s", got.UTC(), want)
	}
	if got, want := NewDate(2026, 7, 1).Start(), time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("start of 1 Jul: %s, want %s", got.UTC(), want)
	}
	if got := Today(dl.AddDays(1).Start()); got != dl.AddDays(1) {
		t.Errorf("Today at the start of 20 Dec: %s", got)
	}
}
