package domain

import "sort"

// VoorlichtingPolicy is one version of the pre-arrival figures that Policy does not hold (§9).
// Amounts shared with the rest of the service (the loan maximum, the term, the PIP deadline) stay
// in Policy and are read from there, so that each figure lives in one place.
// Fields marked [assume] are not verified: they are configuration for that reason, and the
// estimate shows them to the reader as assumptions.
type VoorlichtingPolicy struct {
	ValidFrom Date

	ExamAbroadFee         Cents // basisexamen inburgering buitenland, all parts together [3p]
	ExamAbroadResultWeeks int   // result within this many weeks [law]
	ExamAbroadValidYears  int   // the result stays valid this long for the MVV application [law]

	MinimumAgeYears   int // younger than this: exempt and not obliged [3p]
	AOWAgeYears       int // state pension (AOW) age in force, years ... [law: 67 in 2024–2027]
	AOWAgeExtraMonths int // ... and months
	MaxAgeYears       int // input older than this is refused as impossible (plausibility bound)

	ExtensionIllnessMonths int // illness longer than this can extend the term (§3) [law]
	SchoolYearsInNL        int // years lived in the Netherlands at compulsory-school age that exempt (§2, §9) [3p]

	ExamNLParts          int   // B1-route parts DUO examines: reading, listening, writing, speaking, KNM [law]
	ExamNLFeePerPart     Cents // exam fee per part in the Netherlands [assume]
	CourseCostAssumption Cents // a course to B1 when the reader gives no price [assume]

	// LoanByIncome caps the loan by yearly income (draagkracht, §5). domain.md says the amount
	// depends on income but gives no table [assume]: empty means every income gets the policy
	// maximum, and the page says DUO decides on the income.
	LoanByIncome []IncomeBand

	// Sources of the figures above, as cited on the pages.
	SourceExamAbroad string
	SourceAge        string // of the state pension age
	SourceExamNL     string
}

// IncomeBand: a yearly income up to and including UpTo (nil: any income) can borrow at most Maximum.
type IncomeBand struct {
	UpTo    *Cents
	Maximum Cents
}

// VoorlichtingTable is every version of the pre-arrival figures.
type VoorlichtingTable []VoorlichtingPolicy

// At returns the version in force on d (the earliest before the first). It panics on an empty
// table: that is a wiring error.
func (t VoorlichtingTable) At(d Date) VoorlichtingPolicy {
	if len(t) == 0 {
		panic("domain: empty voorlichting table")
	}
	sorted := append(VoorlichtingTable(nil), t...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ValidFrom.Before(sorted[j].ValidFrom) })
	p := sorted[0]
	for _, v := range sorted {
		if v.ValidFrom.After(d) {
			break
		}
		p = v
	}
	return p
}

// DefaultVoorlichting is the table the service ships with, sourced from ../shared/domain.md §9.
func DefaultVoorlichting() VoorlichtingTable {
	return VoorlichtingTable{{
		ValidFrom:              NewDate(2024, 1, 1),
		ExamAbroadFee:          150_00,
		ExamAbroadResultWeeks:  8,
		ExamAbroadValidYears:   1,
		MinimumAgeYears:        18,
		AOWAgeYears:            67,
		AOWAgeExtraMonths:      0,
		MaxAgeYears:            130,
		ExtensionIllnessMonths: 3,
		SchoolYearsInNL:        8,
		ExamNLParts:            5,
		ExamNLFeePerPart:       50_00,    // [assume] not verified against DUO's price list
		CourseCostAssumption:   6_000_00, // [assume] a typical B1 course; ask the school for its price
		SourceExamAbroad:       "DUO en inburgeren.nl, basisexamen inburgering buitenland",
		SourceAge:              "IND; AOW-leeftijd: Algemene Ouderdomswet (67 jaar in 2024–2027)",
		SourceExamNL:           "aanname, niet gecontroleerd: zie de prijzen op inburgeren.nl",
	}}
}

// Eenheid is the unit of a figure.
type Eenheid string

const (
	EenheidCent    Eenheid = "cent"
	EenheidWeken   Eenheid = "weken"
	EenheidJaren   Eenheid = "jaren"
	EenheidMaanden Eenheid = "maanden"
	EenheidUren    Eenheid = "uren"
	EenheidAantal  Eenheid = "aantal"
)

// Figuur is one figure the pages and the API show, with where it comes from.
type Figuur struct {
	Naam        string
	Waarde      int64
	Eenheid     Eenheid
	GeldigVanaf Date
	Bron        string
	Zekerheid   Zekerheid
}

// Cijfers lists every figure the pre-arrival pages use, by name, from the policies in force on
// today. A figure's GeldigVanaf is the date since which it has had its present value (the first
// of the unbroken run of table versions holding it), not merely the latest version's date.
// The texts in every language insert the figures by name; none is typed into a text.
func Cijfers(pt PolicyTable, vt VoorlichtingTable, today Date) []Figuur {
	p, v := pt.At(today), vt.At(today)
	ps := append(PolicyTable(nil), pt...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].ValidFrom.Before(ps[j].ValidFrom) })
	vs := append(VoorlichtingTable(nil), vt...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].ValidFrom.Before(vs[j].ValidFrom) })
	pSince := func(get func(Policy) int64) Date {
		return since(ps, today, get, func(x Policy) Date { return x.ValidFrom })
	}
	vSince := func(get func(VoorlichtingPolicy) int64) Date {
		return since(vs, today, get, func(x VoorlichtingPolicy) Date { return x.ValidFrom })
	}
	const wet = "Wet inburgering 2021"
	type pf = func(Policy) int64
	type vf = func(VoorlichtingPolicy) int64
	fromV := func(name string, get vf, unit Eenheid, src string, z Zekerheid) Figuur {
		return Figuur{name, get(v), unit, vSince(get), src, z}
	}
	fromP := func(name string, get pf, unit Eenheid, src string, z Zekerheid) Figuur {
		return Figuur{name, get(p), unit, pSince(get), src, z}
	}
	return []Figuur{
		fromV("examen_buitenland_kosten", func(x VoorlichtingPolicy) int64 { return int64(x.ExamAbroadFee) }, EenheidCent, v.SourceExamAbroad, ZekerheidDerden),
		fromV("examen_buitenland_uitslag_weken", func(x VoorlichtingPolicy) int64 { return int64(x.ExamAbroadResultWeeks) }, EenheidWeken, v.SourceExamAbroad, ZekerheidWet),
		fromV("examen_buitenland_geldig_jaren", func(x VoorlichtingPolicy) int64 { return int64(x.ExamAbroadValidYears) }, EenheidJaren, v.SourceExamAbroad, ZekerheidWet),
		fromV("minimumleeftijd", func(x VoorlichtingPolicy) int64 { return int64(x.MinimumAgeYears) }, EenheidJaren, bronVrijstelling, ZekerheidDerden),
		fromV("schooljaren_nl", func(x VoorlichtingPolicy) int64 { return int64(x.SchoolYearsInNL) }, EenheidJaren, bronVrijstelling, ZekerheidDerden),
		fromV("aow_leeftijd", func(x VoorlichtingPolicy) int64 { return int64(x.AOWAgeYears) }, EenheidJaren, v.SourceAge, ZekerheidWet),
		fromV("verlenging_ziekte_maanden", func(x VoorlichtingPolicy) int64 { return int64(x.ExtensionIllnessMonths) }, EenheidMaanden, wet, ZekerheidWet),
		fromP("pip_weken", func(x Policy) int64 { return int64(x.PIPDeadlineWeeks) }, EenheidWeken, wet, ZekerheidWet),
		fromP("termijn_jaren", func(x Policy) int64 { return int64(x.TermYearsWi2021) }, EenheidJaren, wet+", art. 11 lid 1", ZekerheidWet),
		fromP("pvt_uren", func(x Policy) int64 { return int64(x.PVTMinimumHours) }, EenheidUren, wet, ZekerheidDerden),
		fromP("lening_maximum", func(x Policy) int64 { return int64(x.LoanMaximum) }, EenheidCent, wet+"; DUO", ZekerheidWet),
		fromP("lening_kwartaal", func(x Policy) int64 { return int64(x.LoanQuarterCap) }, EenheidCent, wet+"; DUO", ZekerheidWet),
		fromV("examen_nl_onderdelen", func(x VoorlichtingPolicy) int64 { return int64(x.ExamNLParts) }, EenheidAantal, wet, ZekerheidWet),
		fromV("examen_nl_kosten_per_onderdeel", func(x VoorlichtingPolicy) int64 { return int64(x.ExamNLFeePerPart) }, EenheidCent, v.SourceExamNL, ZekerheidAanname),
		fromV("cursus_kosten_aanname", func(x VoorlichtingPolicy) int64 { return int64(x.CourseCostAssumption) }, EenheidCent, "aanname: vraag de taalschool om een offerte", ZekerheidAanname),
	}
}

// since returns the valid-from date of the oldest version in the unbroken run, ending with the
// version in force on today, in which get gives the same value. versions are sorted by date.
func since[T any](versions []T, today Date, get func(T) int64, validFrom func(T) Date) Date {
	cur := -1
	for i, x := range versions {
		if validFrom(x).After(today) {
			break
		}
		cur = i
	}
	if cur < 0 {
		return validFrom(versions[0])
	}
	want := get(versions[cur])
	for cur > 0 && get(versions[cur-1]) == want {
		cur--
	}
	return validFrom(versions[cur])
}

// KostenInvoer is what the reader enters in the cost estimator.
type KostenInvoer struct {
	Jaarinkomen        Cents  // the household's gross yearly income
	Cursusprijs        *Cents // the price the school quoted; nil: the assumption is used
	PogingenBuitenland int    // how many times the exam abroad is taken (1 = passed at once)
	Herexamens         int    // exam parts in the Netherlands taken again
}

// Bounds of the estimator's inputs.
const (
	MaxJaarinkomen        Cents = 10_000_000_00
	MaxCursusprijs        Cents = 100_000_00
	MaxPogingenBuitenland       = 10
	MaxHerexamens               = 50
)

// NewKostenInvoer checks the inputs in whole euros and lists every problem.
func NewKostenInvoer(inkomenEuro int64, cursusEuro *int64, pogingen, herexamens int) (KostenInvoer, error) {
	var viols []Violation
	amount := func(field string, euro int64, max Cents) Cents {
		switch {
		case euro < 0:
			viols = append(viols, Violation{Field: field, MessageID: "nn.error.amount_negative"})
		case euro > int64(max/100):
			viols = append(viols, Violation{Field: field, MessageID: "nn.error.amount_too_large", Params: map[string]any{"Max": int64(max / 100)}})
		}
		return Cents(euro * 100)
	}
	in := KostenInvoer{Jaarinkomen: amount("inkomen", inkomenEuro, MaxJaarinkomen), PogingenBuitenland: pogingen, Herexamens: herexamens}
	if cursusEuro != nil {
		c := amount("cursusprijs", *cursusEuro, MaxCursusprijs)
		in.Cursusprijs = &c
	}
	if pogingen < 1 || pogingen > MaxPogingenBuitenland {
		viols = append(viols, Violation{Field: "pogingen", MessageID: "nn.error.count_range", Params: map[string]any{"Min": 1, "Max": MaxPogingenBuitenland}})
	}
	if herexamens < 0 || herexamens > MaxHerexamens {
		viols = append(viols, Violation{Field: "herexamens", MessageID: "nn.error.count_range", Params: map[string]any{"Min": 0, "Max": MaxHerexamens}})
	}
	if len(viols) > 0 {
		return KostenInvoer{}, Invalid(viols...)
	}
	return in, nil
}

// Kostenraming is the estimate of what integration will cost and how much can be borrowed.
// It is an estimate: DUO decides on the loan.
type Kostenraming struct {
	Invoer           KostenInvoer
	ExamenBuitenland Cents // the exam abroad, every attempt (not covered by the loan: paid before arrival)
	Cursus           Cents
	CursusAanname    bool // true when the course price is the assumption, not the reader's figure
	ExamensNL        Cents
	Totaal           Cents
	LeningMaximum    Cents // the most this income can borrow
	Leenbaar         Cents // what of the course and the exams in the Netherlands the loan can cover
	ZelfBetalen      Cents // the rest
}

// Raming estimates the costs under the policies in force.
func Raming(in KostenInvoer, p Policy, v VoorlichtingPolicy) Kostenraming {
	r := Kostenraming{Invoer: in}
	r.ExamenBuitenland = v.ExamAbroadFee * Cents(in.PogingenBuitenland)
	if in.Cursusprijs != nil {
		r.Cursus = *in.Cursusprijs
	} else {
		r.Cursus, r.CursusAanname = v.CourseCostAssumption, true
	}
	r.ExamensNL = v.ExamNLFeePerPart * Cents(v.ExamNLParts+in.Herexamens)
	r.Totaal = r.ExamenBuitenland + r.Cursus + r.ExamensNL
	r.LeningMaximum = LoanMaximumFor(in.Jaarinkomen, p, v)
	r.Leenbaar = min(r.Cursus+r.ExamensNL, r.LeningMaximum)
	r.ZelfBetalen = r.Totaal - r.Leenbaar
	return r
}

// LoanMaximumFor is the most a household with this yearly income can borrow: the first income band
// that holds it, never more than the policy maximum; the policy maximum when no band is configured.
func LoanMaximumFor(income Cents, p Policy, v VoorlichtingPolicy) Cents {
	for _, b := range v.LoanByIncome {
		if b.UpTo == nil || income <= *b.UpTo {
			return min(b.Maximum, p.LoanMaximum)
		}
	}
	return p.LoanMaximum
}
