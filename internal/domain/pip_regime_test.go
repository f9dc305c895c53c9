package domain

import "testing"

func TestPIPUnderEachRegime(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2026, 11, 29))
	today := NewDate(2026, 11, 29)
	notice := NewDate(2026, 1, 5)
	tests := []struct {
		regime  Regime
		applies bool
		who     Actor
		overdue bool
	}{
		{Wi2021, true, ActorGemeente, true}, // no PIP, the notice is far more than ten weeks old
		{Wi2013, false, ActorInburgeraar, false},
		{Wi2007, false, ActorGemeente, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.regime), func(t *testing.T) {
			if got := PIPApplies(tt.regime); got != tt.applies {
				t.Errorf("PIPApplies = %v, want %v", got, tt.applies)
			}
			s := PIPStatusUnder(tt.regime, PIPDeadlineInput{Notice: &notice}, p, today)
			if s.Responsible != tt.who || s.Overdue != tt.overdue {
				t.Errorf("responsible %s overdue %v, want %s %v", s.Responsible, s.Overdue, tt.who, tt.overdue)
			}
		})
	}
}
