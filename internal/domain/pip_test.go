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
	// The Z-route includes the MAP: only the onderwijsroute is exempt from it.
	zAsylum := map[ComponentKind]int{ComponentCursusuren: 800, ComponentParticipatie: 800, ComponentMAP: 0, ComponentPVT: 12}
	zOther := map[ComponentKind]int{ComponentCursusuren: 800, ComponentMAP: 0, ComponentPVT: 12}

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
		{"Z-route asylum: 800 course + 800 participation + MAP + PVT", RouteZ, Asielstatushouder, zAsylum},
		{"Z-route family migrant: 800 course + MAP + PVT, no participation", RouteZ, Gezinsmigrant, zOther},
		{"Z-route other migrant: 800 course + MAP + PVT, no participation", RouteZ, OverigeMigrant, zOther},
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
	tests := []struct {
		name            string
		notice          string // "" means no notice
		brp             string // "" means no BRP registration on record
		thirdParty      bool
		pip             string // first PIP date; "" means none
		today           string
		wantDeadline    string
		wantOverdue     bool
		wantDaysOverdue int
		wantSetLate     int
		wantResponsible Actor
	}{
		{"no notice: DUO must act", "", "", false, "", "2023-03-01", "", false, 0, 0, ActorDUO},
		{"notice, well within 10 weeks", "2023-01-02", "", false, "", "2023-01-20", "2023-03-13", false, 0, 0, ActorGemeente},
		{"notice, on the day of notice", "2023-01-02", "", false, "", "2023-01-02", "2023-03-13", false, 0, 0, ActorGemeente},
		{"notice, on the deadline: not overdue", "2023-01-02", "", false, "", "2023-03-13", "2023-03-13", false, 0, 0, ActorGemeente},
		{"notice, day after the deadline: overdue 1 day", "2023-01-02", "", false, "", "2023-03-14", "2023-03-13", true, 1, 0, ActorGemeente},
		{"notice, a month after the deadline", "2023-01-02", "", false, "", "2023-04-13", "2023-03-13", true, 31, 0, ActorGemeente},
		{"deadline over a leap day", "2024-01-15", "", false, "", "2024-03-26", "2024-03-25", true, 1, 0, ActorGemeente},
		{"BRP registration before the notice: notice counts", "2023-01-02", "2022-12-01", false, "", "2023-01-20", "2023-03-13", false, 0, 0, ActorGemeente},
		{"BRP registration on the notice day", "2023-01-02", "2023-01-02", false, "", "2023-01-20", "2023-03-13", false, 0, 0, ActorGemeente},
		{"BRP registration a day after the notice: 10 weeks from BRP", "2023-01-02", "2023-01-03", false, "", "2023-01-20", "2023-03-14", false, 0, 0, ActorGemeente},
		{"third-party information awaited: 12 weeks", "2023-01-02", "", true, "", "2023-03-14", "2023-03-27", false, 0, 0, ActorGemeente},
		{"third party and later BRP: 12 weeks from BRP", "2023-01-02", "2023-02-01", true, "", "2023-04-26", "2023-04-26", false, 0, 0, ActorGemeente},
		{"third party: overdue the day after 12 weeks", "2023-01-02", "", true, "", "2023-03-28", "2023-03-27", true, 1, 0, ActorGemeente},
		{"PIP set before the deadline: on time", "2023-01-02", "", false, "2023-03-01", "2023-03-01", "2023-03-13", false, 0, 0, ActorInburgeraar},
		{"PIP set on the deadline: on time", "2023-01-02", "", false, "2023-03-13", "2024-01-01", "2023-03-13", false, 0, 0, ActorInburgeraar},
		{"PIP set 1 day late: lateness stays visible", "2023-01-02", "", false, "2023-03-14", "2024-01-01", "2023-03-13", false, 0, 1, ActorInburgeraar},
		{"PIP set 22 days late", "2023-01-02", "", false, "2023-04-04", "2025-01-01", "2023-03-13", false, 0, 22, ActorInburgeraar},
		{"PIP set late, but on time with third-party weeks", "2023-01-02", "", true, "2023-03-20", "2025-01-01", "2023-03-27", false, 0, 0, ActorInburgeraar},
		{"PIP set without a notice on record", "", "", false, "2023-03-14", "2024-01-01", "", false, 0, 0, ActorInburgeraar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			today := mustDate(t, tt.today)
			in := PIPDeadlineInput{Notice: datePtr(t, tt.notice), BRPRegistration: datePtr(t, tt.brp), ThirdPartyAwaited: tt.thirdParty, FirstPIPDate: datePtr(t, tt.pip)}
			got := ComputePIPStatus(in, policies.At(today), today)
			if got.Set != (tt.pip != "") {
				t.Errorf("Set = %v, want %v", got.Set, tt.pip != "")
			}
			if dateStr(got.NoticeDate) != tt.notice {
				t.Errorf("NoticeDate = %q, want %q", dateStr(got.NoticeDate), tt.notice)
			}
			if s := dateStr(got.Deadline); s != tt.wantDeadline {
				t.Errorf("Deadline = %q, want %q", s, tt.wantDeadline)
			}
			if got.Overdue != tt.wantOverdue {
				t.Errorf("Overdue = %v, want %v", got.Overdue, tt.wantOverdue)
			}
			if got.DaysOverdue != tt.wantDaysOverdue {
				t.Errorf("DaysOverdue = %d, want %d", got.DaysOverdue, tt.wantDaysOverdue)
			}
			if got.SetDaysLate != tt.wantSetLate {
				t.Errorf("SetDaysLate = %d, want %d", got.SetDaysLate, tt.wantSetLate)
			}
			if got.Responsible != tt.wantResponsible {
				t.Errorf("Responsible = %q, want %q", got.Responsible, tt.wantResponsible)
			}
		})
	}
}

func TestWithExemption(t *testing.T) {
	cs := []Component{{Kind: ComponentLezen, Status: StatusBehaald}, {Kind: ComponentKNM, Status: StatusBezig}, {Kind: ComponentMAP, Status: StatusOpen}, {Kind: ComponentPVT, Status: StatusOntheffing}}
	got := WithExemption(cs)
	want := []ComponentStatus{StatusBehaald, StatusOntheffing, StatusOntheffing, StatusOntheffing}
	for i := range got {
		if got[i].Status != want[i] {
			t.Errorf("%s: status %q, want %q", got[i].Kind, got[i].Status, want[i])
		}
	}
	if cs[2].Status != StatusOpen {
		t.Error("WithExemption changed its input")
	}
}

func TestExemptedParts(t *testing.T) {
	tests := []struct {
		name string
		cs   []Component
		want []ComponentKind
	}{
		{"none", []Component{{Kind: ComponentLezen, Status: StatusOpen}}, nil},
		{"partial: speaking exempted, the rest stays", []Component{{Kind: ComponentLezen, Status: StatusOpen}, {Kind: ComponentSpreken, Status: StatusOntheffing}, {Kind: ComponentKNM, Status: StatusBehaald}}, []ComponentKind{ComponentSpreken}},
		{"two parts", []Component{{Kind: ComponentSchrijven, Status: StatusOntheffing}, {Kind: ComponentSpreken, Status: StatusOntheffing}}, []ComponentKind{ComponentSchrijven, ComponentSpreken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExemptedParts(tt.cs)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %v, want %v", got, tt.want)
				}
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
