package domain

import "testing"

// TestExemptionRestsOnHours: a refused declaration withdraws only an exemption that rests on the
// hours, the AGI of Wi2013, and only when the remaining accepted hours fall below the threshold.
func TestExemptionRestsOnHours(t *testing.T) {
	p := Policy{AGIHours: 600}
	tests := []struct {
		name     string
		regime   Regime
		accepted int
		want     bool
	}{
		{"Wi2013, 0 hours left", Wi2013, 0, true},
		{"Wi2013, one hour short", Wi2013, 599, true},
		{"Wi2013, exactly the threshold remains", Wi2013, 600, false},
		{"Wi2013, more than enough remains", Wi2013, 750, false},
		{"Wi2021: no exemption rests on hours", Wi2021, 0, false},
		{"Wi2007: no exemption rests on hours", Wi2007, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExemptionRestsOnHours(tt.regime, tt.accepted, p); got != tt.want {
				t.Errorf("ExemptionRestsOnHours(%v, %d) = %v, want %v", tt.regime, tt.accepted, got, tt.want)
			}
		})
	}
}
