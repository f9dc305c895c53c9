package domain

// LearningRoute is the route in the PIP (leerroute, §4).
type LearningRoute string

const (
	RouteB1        LearningRoute = "b1"
	RouteOnderwijs LearningRoute = "onderwijsroute"
	RouteZ         LearningRoute = "z_route"
)

// ParseLearningRoute parses a learning route code.
func ParseLearningRoute(s string) (LearningRoute, error) {
	switch r := LearningRoute(s); r {
	case RouteB1, RouteOnderwijs, RouteZ:
		return r, nil
	}
	return "", Invalid(Violation{Field: "leerroute", MessageID: "error.route_unknown"})
}

// ComponentKind is one part of the PIP (§4).
type ComponentKind string

const (
	ComponentLezen        ComponentKind = "lezen"
	ComponentLuisteren    ComponentKind = "luisteren"
	ComponentSchrijven    ComponentKind = "schrijven"
	ComponentSpreken      ComponentKind = "spreken"
	ComponentKNM          ComponentKind = "knm"
	ComponentMAP          ComponentKind = "map"
	ComponentPVT          ComponentKind = "pvt"
	ComponentCursusuren   ComponentKind = "cursusuren"       // Z-route course hours
	ComponentParticipatie ComponentKind = "participatieuren" // Z-route participation hours (asylum permit holders)
)

// ComponentStatus is how far a PIP component is.
type ComponentStatus string

const (
	StatusOpen       ComponentStatus = "open"
	StatusBezig      ComponentStatus = "bezig"
	StatusBehaald    ComponentStatus = "behaald"
	StatusOntheffing ComponentStatus = "ontheffing"
)

// Component is one part of the PIP with its progress. HoursRequired is 0 for exams.
type Component struct {
	Kind          ComponentKind
	Status        ComponentStatus
	HoursDone     int
	HoursRequired int
}

// PIP is the plan inburgering en participatie set by the gemeente (Wi2021).
type PIP struct {
	Date       Date // dagtekening
	Gemeente   string
	Route      LearningRoute
	Components []Component
}

// RequiredComponents lists the components a route holds for a target group (§4):
// B1-route: four language exams, KNM, MAP and PVT; onderwijsroute: no MAP;
// Z-route: course hours, plus participation hours for asylum permit holders, and PVT.
func RequiredComponents(route LearningRoute, group TargetGroup, p Policy) []Component {
	lang := []Component{{Kind: ComponentLezen}, {Kind: ComponentLuisteren}, {Kind: ComponentSchrijven}, {Kind: ComponentSpreken}}
	pvt := Component{Kind: ComponentPVT, HoursRequired: p.PVTMinimumHours}
	var cs []Component
	switch route {
	case RouteB1:
		cs = append(lang, Component{Kind: ComponentKNM}, Component{Kind: ComponentMAP}, pvt)
	case RouteOnderwijs:
		cs = append(lang, Component{Kind: ComponentKNM}, pvt)
	case RouteZ:
		cs = []Component{{Kind: ComponentCursusuren, HoursRequired: p.ZRouteCourseHours}}
		if group == Asielstatushouder {
			cs = append(cs, Component{Kind: ComponentParticipatie, HoursRequired: p.ZRouteParticipationHours})
		}
		cs = append(cs, pvt)
	}
	for i := range cs {
		cs[i].Status = StatusOpen
	}
	return cs
}

// Actor is who must act next.
type Actor string

const (
	ActorGemeente    Actor = "gemeente"
	ActorDUO         Actor = "duo"
	ActorInburgeraar Actor = "inburgeraar"
)

// PIPStatus tells whether the PIP is set and, if not, by when and by whom (§4).
type PIPStatus struct {
	Set         bool
	NoticeDate  *Date
	Deadline    *Date // notice + 10 weeks
	Overdue     bool
	DaysOverdue int
	Responsible Actor // who must act now
}

// ComputePIPStatus: the gemeente sets the PIP within PIPDeadlineWeeks of DUO's notice.
// Without a notice DUO must act first; the deadline is overdue from the day after it.
func ComputePIPStatus(notice *Date, pip *PIP, p Policy, today Date) PIPStatus {
	s := PIPStatus{NoticeDate: notice, Set: pip != nil, Responsible: ActorInburgeraar}
	if notice != nil {
		d := notice.AddDays(7 * p.PIPDeadlineWeeks)
		s.Deadline = &d
	}
	if pip != nil {
		return s
	}
	if s.Deadline == nil {
		s.Responsible = ActorDUO
		return s
	}
	s.Responsible = ActorGemeente
	if today.After(*s.Deadline) {
		s.Overdue = true
		s.DaysOverdue = s.Deadline.DaysUntil(today)
	}
	return s
}

// CanChangeRoute reports whether the route may still be switched or lowered: only within
// RouteChangeWindowMonths of the term start, with a new PIP (§4).
func CanChangeRoute(termStart *Date, p Policy, today Date) bool {
	if termStart == nil {
		return true
	}
	return today.Before(termStart.AddMonths(p.RouteChangeWindowMonths))
}
