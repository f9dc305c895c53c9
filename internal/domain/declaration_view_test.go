package domain

import "testing"

func TestHoursPerSchool(t *testing.T) {
	ds := []Declaration{
		{SchoolID: 2, Hours: 40, Status: DeclarationAccepted},
		{SchoolID: 1, Hours: 10, Status: DeclarationAskSchool},
		{SchoolID: 2, Hours: 5, Status: DeclarationRefused},
		{SchoolID: 1, Hours: 30, Status: DeclarationAccepted},
		{SchoolID: 1, Hours: 7, Status: DeclarationIntentToRefuse},
		{SchoolID: 2, Hours: 3, Status: DeclarationEvidenceReceived},
	}
	per, total := HoursPerSchool(ds)
	if total != 70 {
		t.Errorf("accepted total %d, want 70", total)
	}
	want := []SchoolHours{{SchoolID: 1, Accepted: 30, Pending: 17}, {SchoolID: 2, Accepted: 40, Pending: 3, Refused: 5}}
	if len(per) != len(want) {
		t.Fatalf("per school %+v, want %+v", per, want)
	}
	for i := range want {
		if per[i] != want[i] {
			t.Errorf("school %d: %+v, want %+v", i, per[i], want[i])
		}
	}
	if per, total := HoursPerSchool(nil); len(per) != 0 || total != 0 {
		t.Errorf("no declarations: %+v %d", per, total)
	}
}

func TestDeclarationCountsAndPending(t *testing.T) {
	tests := []struct {
		status          DeclarationStatus
		counts, pending bool
	}{
		{DeclarationAccepted, true, false},
		{DeclarationAskSchool, false, true},
		{DeclarationAskEvidence, false, true},
		{DeclarationEvidenceReceived, false, true},
		{DeclarationIntentToRefuse, false, true},
		{DeclarationRefused, false, false},
	}
	for _, tt := range tests {
		d := Declaration{Status: tt.status}
		if d.Counts() != tt.counts || d.Pending() != tt.pending {
			t.Errorf("%s: counts %v pending %v, want %v %v", tt.status, d.Counts(), d.Pending(), tt.counts, tt.pending)
		}
	}
}

func TestComputeAGIProgress(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2026, 12, 1))
	start := NewDate(2021, 12, 1)
	late := NewDate(2024, 7, 1)
	today := NewDate(2026, 12, 1)
	tests := []struct {
		name      string
		regime    Regime
		start     *Date
		hours     int
		ok        bool
		hoursMet  bool
		hoursLeft int
		timeMet   bool
		from      *Date
	}{
		{"Wi2021 knows no AGI", Wi2021, &start, 700, false, false, 0, false, nil},
		{"Wi2007 knows no AGI", Wi2007, &start, 700, false, false, 0, false, nil},
		{"599 hours: one short", Wi2013, &start, 599, true, false, 1, true, dp(NewDate(2024, 6, 1))},
		{"600 hours: met", Wi2013, &start, 600, true, true, 0, true, dp(NewDate(2024, 6, 1))},
		{"no hours yet", Wi2013, &start, 0, true, false, 600, true, dp(NewDate(2024, 6, 1))},
		{"term not run 2.5 years", Wi2013, &late, 650, true, true, 0, false, dp(NewDate(2027, 1, 1))},
		{"2.5 years exactly today", Wi2013, dp(NewDate(2024, 6, 1)), 650, true, true, 0, true, dp(today)},
		{"term not started", Wi2013, nil, 100, true, false, 500, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := ComputeAGIProgress(tt.regime, tt.start, tt.hours, today, p)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if g.RequiredHours != 600 || g.AttemptsPerExam != 4 || g.Hours != tt.hours {
				t.Errorf("policy figures %+v", g)
			}
			if g.HoursMet != tt.hoursMet || g.HoursLeft != tt.hoursLeft || g.TimeMet != tt.timeMet {
				t.Errorf("got %+v, want hoursMet %v left %d timeMet %v", g, tt.hoursMet, tt.hoursLeft, tt.timeMet)
			}
			if (g.TimeMetFrom == nil) != (tt.from == nil) || (g.TimeMetFrom != nil && *g.TimeMetFrom != *tt.from) {
				t.Errorf("time met from %v, want %v", g.TimeMetFrom, tt.from)
			}
		})
	}
}

func dp(d Date) *Date { return &d }
