package domain

// RuleFacts are the facts about an inburgeraar that the rules of the law need beyond the person
// record: the PIP deadline (§4), the Wi2007 term (§3), the Wi2013 fine (§6) and remission (§5).
type RuleFacts struct {
	BRPRegistration    *Date        // registration in the BRP; the PIP deadline runs from it when later than the notice
	ThirdPartyAwaited  bool         // the gemeente awaits third-party information for the PIP
	GemeenteTermEnd    *Date        // Wi2007: the end of the term as the gemeente set it
	KeurmerkHours      int          // Wi2013: classroom hours at keurmerk schools
	Attempts           FineAttempts // Wi2013: how far the exam attempts went; "" when not known
	OpenPartsAtTermEnd *int         // Wi2013: exam parts not passed when the term ended
	// AsylumFamilyMember: partner, parent or child of an asylum permit holder; Wi2013 remission applies
	// to them as to asylum permit holders [law].
	AsylumFamilyMember bool
}

// ValidateRuleFacts refuses facts outside the law's bounds before they are stored.
func ValidateRuleFacts(f RuleFacts) error {
	var vs []Violation
	if f.KeurmerkHours < 0 {
		vs = append(vs, Violation{Field: "keurmerkUren", MessageID: "error.fine_hours_negative"})
	}
	if f.Attempts != "" {
		if _, ok := f.Attempts.row(); !ok {
			vs = append(vs, Violation{Field: "examenpogingen", MessageID: "error.fine_attempts_unknown"})
		}
	}
	if f.OpenPartsAtTermEnd != nil && (*f.OpenPartsAtTermEnd < 0 || *f.OpenPartsAtTermEnd > 9) {
		vs = append(vs, Violation{Field: "openOnderdelen", MessageID: "error.open_parts_range"})
	}
	if len(vs) > 0 {
		return Invalid(vs...)
	}
	return nil
}
