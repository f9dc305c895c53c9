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
// B1-route: four language exams, KNM, MAP and PVT; onderwijsroute: no MAP (the only route exempt from it);
// Z-route: course hours, plus participation hours for asylum permit holders, MAP and PVT.
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
		cs = append(cs, Component{Kind: ComponentMAP}, pvt)
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
	Set             bool
	NoticeDate      *Date
	BRPRegistration *Date // registration in the BRP, when known
	ThirdParty      bool  // the deadline is longer because third-party information is awaited
	Deadline        *Date // the later of notice and BRP registration + 10 weeks (+ 2 weeks for third parties)
	Overdue         bool
	DaysOverdue     int
	// SetDaysLate is how many days after the deadline the first PIP was set (0 when on time):
	// lateness stays visible after the plan is set.
	SetDaysLate int
	Responsible Actor // who must act now
}

// PIPDeadlineInput is what the PIP deadline is computed from.
type PIPDeadlineInput struct {
	Notice            *Date // DUO's notice (kennisgeving)
	BRPRegistration   *Date // registration in the BRP (basisregistratie personen)
	ThirdPartyAwaited bool  // the gemeente awaits information from a third party
	FirstPIPDate      *Date // the date (dagtekening) of the first PIP; nil while none is set
}

// ComputePIPStatus: the gemeente sets the PIP within PIPDeadlineWeeks of DUO's notice, or of the
// registration in the BRP when that comes later, and PIPThirdPartyWeeks longer when information from
// a third party is awaited (Besluit inburgering 2021). Without a notice DUO must act first; the deadline
// is overdue from the day after it.
func ComputePIPStatus(in PIPDeadlineInput, p Policy, today Date) PIPStatus {
	s := PIPStatus{NoticeDate: in.Notice, BRPRegistration: in.BRPRegistration, ThirdParty: in.ThirdPartyAwaited,
		Set: in.FirstPIPDate != nil, Responsible: ActorInburgeraar}
	if in.Notice != nil {
		from := *in.Notice
		if in.BRPRegistration != nil && in.BRPRegistration.After(from) {
			from = *in.BRPRegistration
		}
		weeks := p.PIPDeadlineWeeks
		if in.ThirdPartyAwaited {
			weeks += p.PIPThirdPartyWeeks
		}
		d := from.AddDays(7 * weeks)
		s.Deadline = &d
	}
	if in.FirstPIPDate != nil {
		if s.Deadline != nil && in.FirstPIPDate.After(*s.Deadline) {
			s.SetDaysLate = s.Deadline.DaysUntil(*in.FirstPIPDate)
		}
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

// WithExemption returns the components as they stand for someone who is exempt (ontheffing): every
// part not passed is exempted, so none is shown as open any more.
func WithExemption(cs []Component) []Component {
	out := append([]Component(nil), cs...)
	for i := range out {
		if out[i].Status != StatusBehaald {
			out[i].Status = StatusOntheffing
		}
	}
	return out
}

// ExemptedParts lists the parts a partial exemption (Wi2021 art. 5) covers; every other part of the
// obligation stays.
func ExemptedParts(cs []Component) []ComponentKind {
	var out []ComponentKind
	for _, c := range cs {
		if c.Status == StatusOntheffing {
			out = append(out, c.Kind)
		}
	}
	return out
}

// CanChangeRoute reports whether the route may still be switched or lowered: only within
// RouteChangeWindowMonths of the term start, with a new PIP (§4).
func CanChangeRoute(termStart *Date, p Policy, today Date) bool {
	if termStart == nil {
		return true
	}
	return today.Before(termStart.AddMonths(p.RouteChangeWindowMonths))
}
