package domain

import (
	"sort"
	"testing"
)

func TestRequiredComponents(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	b1 := map[ComponentKind]int{
		ComponentLezen: 0, ComponentLuisteren: 0, ComponentSchrijven: 0, ComponentSpreken: 0,
		ComponentKNM: 0, ComponentMAP: 0, ComponentPVT: 12,
	}
	onderwijs := map[ComponentKind]int{
		ComponentLezen: 0, ComponentLuisteren: 0, ComponentSchrijven: 0, ComponentSpreken: 0,
		ComponentKNM: 0, ComponentPVT: 12,
	}
	zAsylum := map[ComponentKind]int{ComponentCursusuren: 800, ComponentParticipatie: 800, ComponentPVT: 12}
	zOther := map[ComponentKind]int{ComponentCursusuren: 800, ComponentPVT: 12}

	tests := []struct {
		name  string
		route LearningRoute
		group TargetGroup
		want  map[ComponentKind]int // kind → hours required (0 for exams)
	}{
		{"B1 asylum permit holder", RouteB1, Asielstatushouder, b1},
		{"B1 family migrant", RouteB1, Gezinsmigrant, b1},
		{"B1 other migrant", RouteB1, OverigeMigrant, b1},
		{"onderwijsroute asylum permit holder: no MAP", RouteOnderwijs, Asielstatushouder, onderwijs},
		{"onderwijsroute family migrant: no MAP", RouteOnderwijs, Gezinsmigrant, onderwijs},
		{"Z-route asylum: 800 course + 800 participation + PVT", RouteZ, Asielstatushouder, zAsylum},
		{"Z-route family migrant: 800 course + PVT, no participation", RouteZ, Gezinsmigrant, zOther},
		{"Z-route other migrant: 800 course + PVT, no participation", RouteZ, OverigeMigrant, zOther},
		{"unknown route: nothing", LearningRoute("a2"), Gezinsmigrant, map[ComponentKind]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RequiredComponents(tt.route, tt.group, p)
			if len(got) != len(tt.want) {
				t.Errorf("got %d components %v, want %d", len(got), kinds(got), len(tt.want))
			}
			seen := map[ComponentKind]bool{}
			for _, c := range got {
				if seen[c.Kind] {
					t.Errorf("component %q listed twice", c.Kind)
				}
				seen[c.Kind] = true
				hours, ok := tt.want[c.Kind]
				if !ok {
					t.Errorf("unexpected component %q", c.Kind)
					continue
				}
				if c.HoursRequired != hours {
					t.Errorf("%s: HoursRequired = %d, want %d", c.Kind, c.HoursRequired, hours)
				}
				if c.Status != StatusOpen {
					t.Errorf("%s: Status = %q, want %q", c.Kind, c.Status, StatusOpen)
				}
				if c.HoursDone != 0 {
					t.Errorf("%s: HoursDone = %d, want 0", c.Kind, c.HoursDone)
				}
			}
			for k := range tt.want {
				if !seen[k] {
					t.Errorf("missing component %q", k)
				}
			}
		})
	}
}

// TestRequiredComponentsFromPolicy checks that hours come from the policy, not constants.
func TestRequiredComponentsFromPolicy(t *testing.T) {
	p := DefaultPolicies().At(NewDate(2024, 1, 1))
	p.ZRouteCourseHours, p.ZRouteParticipationHours, p.PVTMinimumHours = 600, 400, 20
	tests := []struct {
		name string
		kind ComponentKind
		want int
	}{
		{"course hours", ComponentCursusuren, 600},
		{"participation hours", ComponentParticipatie, 400},
		{"pvt hours", ComponentPVT, 20},
	}
	got := RequiredComponents(RouteZ, Asielstatushouder, p)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range got {
				if c.Kind == tt.kind {
					if c.HoursRequired != tt.want {
						t.Errorf("HoursRequired = %d, want %d", c.HoursRequired, tt.want)
					}
					return
				}
			}
			t.Errorf("component %q missing", tt.kind)
		})
	}
}

func kinds(cs []Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c.Kind)
	}
	sort.Strings(out)
	return out
}

func TestComputePIPStatus(t *testing.T) {
	policies := DefaultPolicies()
	pip := &PIP{Date: NewDate(2023, 3, 14), Gemeente: "Utrecht", Route: RouteB1}
	tests := []struct {
		name            string
		notice          string // "" means no notice
		pip             *PIP
		today           string
		wantSet         bool
		wantDeadline    string
		wantOverdue     bool
		wantDaysOverdue int
		wantResponsible Actor
	}{
		{"no notice: DUO must act", "", nil, "2023-03-01", false, "", false, 0, ActorDUO},
		{"notice, well within 10 weeks", "2023-01-02", nil, "2023-01-20", false, "2023-03-13", false, 0, ActorGemeente},
		{"notice, on the day of notice", "2023-01-02", nil, "2023-01-02", false, "2023-03-13", false, 0, ActorGemeente},
		{"notice, on the deadline: not overdue", "2023-01-02", nil, "2023-03-13", false, "2023-03-13", false, 0, ActorGemeente},
		{"notice, day after the deadline: overdue 1 day", "2023-01-02", nil, "2023-03-14", false, "2023-03-13", true, 1, ActorGemeente},
		{"notice, a month after the deadline", "2023-01-02", nil, "2023-04-13", false, "2023-03-13", true, 31, ActorGemeente},
		{"deadline over a leap day", "2024-01-15", nil, "2024-03-26", false, "2024-03-25", true, 1, ActorGemeente},
		{"PIP set before the deadline: not overdue", "2023-01-02", pip, "2023-03-01", true, "2023-03-13", false, 0, ActorInburgeraar},
		{"PIP set, long after the deadline: not overdue", "2023-01-02", pip, "2024-01-01", true, "2023-03-13", false, 0, ActorInburgeraar},
		{"PIP set without a notice on record", "", pip, "2024-01-01", true, "", false, 0, ActorInburgeraar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			notice := datePtr(t, tt.notice)
			got := ComputePIPStatus(notice, tt.pip, policies.At(today), today)
			if got.Set != tt.wantSet {
				t.Errorf("Set = %v, want %v", got.Set, tt.wantSet)
			}
			if dateStr(got.NoticeDate) != tt.notice {
				t.Errorf("NoticeDate = %q, want %q", dateStr(got.NoticeDate), tt.notice)
			}
			if s := dateStr(got.Deadline); s != tt.wantDeadline {
				t.Errorf("Deadline = %q, want %q", s, tt.wantDeadline)
			}
			if got.Deadline != nil && notice.DaysUntil(*got.Deadline) != 70 {
				t.Errorf("Deadline is %d days after notice, want 70 (10 weeks)", notice.DaysUntil(*got.Deadline))
			}
			if got.Overdue != tt.wantOverdue {
				t.Errorf("Overdue = %v, want %v", got.Overdue, tt.wantOverdue)
			}
			if got.DaysOverdue != tt.wantDaysOverdue {
				t.Errorf("DaysOverdue = %d, want %d", got.DaysOverdue, tt.wantDaysOverdue)
			}
			if got.Responsible != tt.wantResponsible {
				t.Errorf("Responsible = %q, want %q", got.Responsible, tt.wantResponsible)
			}
		})
	}
}

func TestCanChangeRoute(t *testing.T) {
	policies := DefaultPolicies()
	tests := []struct {
		name       string
		termStart  string // "" means not started
		today      string
		wantChange bool
	}{
		{"term not started", "", "2024-01-01", true},
		{"first day of the term", "2023-03-15", "2023-03-15", true},
		{"a year in", "2023-03-15", "2024-03-15", true},
		{"last day within 18 months", "2023-03-15", "2024-09-14", true},
		{"exactly 18 months after start", "2023-03-15", "2024-09-15", false},
		{"well after 18 months", "2023-03-15", "2025-03-15", false},
		{"month-end start: day before the clamped date", "2023-03-31", "2024-09-29", true},
		{"month-end start: clamped date 30 Sep", "2023-03-31", "2024-09-30", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			if got := CanChangeRoute(datePtr(t, tt.termStart), policies.At(today), today); got != tt.wantChange {
				t.Errorf("CanChangeRoute(%q, %s) = %v, want %v", tt.termStart, tt.today, got, tt.wantChange)
			}
		})
	}
}
