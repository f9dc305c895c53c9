package domain

// PIPApplies reports whether the regime knows a PIP: only Wi2021 does (§4).
func PIPApplies(r Regime) bool { return r == Wi2021 }

// PIPStatusUnder is ComputePIPStatus for a person under regime r. Outside Wi2021 there is no
// PIP: the inburgeraar arranges the integration (Wi2013) or the gemeente does (Wi2007).
func PIPStatusUnder(r Regime, in PIPDeadlineInput, p Policy, today Date) PIPStatus {
	switch r {
	case Wi2021:
		return ComputePIPStatus(in, p, today)
	case Wi2007:
		return PIPStatus{NoticeDate: in.Notice, Responsible: ActorGemeente}
	default:
		return PIPStatus{NoticeDate: in.Notice, Responsible: ActorInburgeraar}
	}
}
