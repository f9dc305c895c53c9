package domain

import (
	"slices"
	"strings"
	"time"
)

// Pre-arrival information (voorlichting) for family migrants abroad (domain.md §9): who must
// integrate, who must take the basic civic integration exam abroad (basisexamen inburgering
// buitenland) and on which exemption ground (vrijstelling) they need not. The check answers what
// the sources say; where they disagree (Turkish nationals) it says the IND decides.

// Nationaliteit is a nationality as an ISO 3166-1 alpha-2 country code (upper case).
type Nationaliteit string

// isoCountries are the ISO 3166-1 alpha-2 codes of countries and territories whose people can hold
// a nationality. Antarctica (AQ) and uninhabited territories are left out.
var isoCountries = strings.Fields(`
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH
CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN
GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB
LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NE NG NI NL
NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR
SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS XK YE ZA ZM ZW`)

// Nationaliteiten lists every nationality the check accepts, by code.
func Nationaliteiten() []Nationaliteit {
	out := make([]Nationaliteit, len(isoCountries))
	for i, c := range isoCountries {
		out[i] = Nationaliteit(c)
	}
	return out
}

// ParseNationaliteit accepts a known ISO 3166-1 alpha-2 code, in either case.
func ParseNationaliteit(s string) (Nationaliteit, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if len(c) == 2 && slices.Contains(isoCountries, c) {
		return Nationaliteit(c), nil
	}
	return "", Invalid(Violation{Field: string(VraagNationaliteit), MessageID: "nn.error.nationality_unknown"})
}

// eeaSwiss: the EU and EEA member states and Switzerland (free movement; §2, §9).
var eeaSwiss = strings.Fields(`AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO CH`)

// mvvFree: nationalities exempt from the exam abroad though they must integrate in the Netherlands (§9).
var mvvFree = strings.Fields(`GB MC AU CA JP NZ VA US KR`)

// Verblijfsdoel is the purpose of the stay in the Netherlands.
type Verblijfsdoel string

const (
	DoelGezin        Verblijfsdoel = "gezin"        // living with a partner or family member
	DoelStudie       Verblijfsdoel = "studie"       // temporary
	DoelWerk         Verblijfsdoel = "werk"         // temporary work
	DoelAuPair       Verblijfsdoel = "au_pair"      // temporary
	DoelUitwisseling Verblijfsdoel = "uitwisseling" // temporary
	DoelMedisch      Verblijfsdoel = "medisch"      // medical treatment, temporary
	DoelWijziging    Verblijfsdoel = "wijziging"    // already holds a Dutch residence permit, changes its purpose
	DoelAnders       Verblijfsdoel = "anders"       // another, lasting purpose
)

// Verblijfsdoelen lists the purposes in the order the check offers them.
var Verblijfsdoelen = []Verblijfsdoel{DoelGezin, DoelStudie, DoelWerk, DoelAuPair, DoelUitwisseling, DoelMedisch, DoelWijziging, DoelAnders}

func (d Verblijfsdoel) temporary() bool {
	switch d {
	case DoelStudie, DoelWerk, DoelAuPair, DoelUitwisseling, DoelMedisch:
		return true
	}
	return false
}

// Partnerstatus is the status of the partner or family member in the Netherlands (the referent).
type Partnerstatus string

const (
	PartnerNederlander         Partnerstatus = "nederlander"         // a Dutch national
	PartnerEUBurger            Partnerstatus = "eu_burger"           // an EU/EEA/Swiss citizen (not Dutch) who moved freely
	PartnerAsielstatushouder   Partnerstatus = "asielstatushouder"   // holds an asylum residence permit
	PartnerTijdelijk           Partnerstatus = "tijdelijk"           // stays temporarily (study, work, …)
	PartnerVerblijfsvergunning Partnerstatus = "verblijfsvergunning" // holds another, lasting residence permit
)

// Partnerstatussen lists the statuses in the order the check offers them.
var Partnerstatussen = []Partnerstatus{PartnerNederlander, PartnerEUBurger, PartnerAsielstatushouder, PartnerTijdelijk, PartnerVerblijfsvergunning}

// Opleiding is prior education in Dutch.
type Opleiding string

const (
	OpleidingAchtJaarNL Opleiding = "acht_jaar_nl"            // at least 8 years in the Netherlands at compulsory-school age
	OpleidingSuriname   Opleiding = "suriname_basisonderwijs" // Surinamese national, primary education in Dutch (with proof)
	OpleidingGeen       Opleiding = "geen"                    // none of these
)

// Opleidingen lists the answers the check offers a person of nationality n (the Surinamese
// ground only to Surinamese nationals).
func Opleidingen(n Nationaliteit) []Opleiding {
	if n == "SR" {
		return []Opleiding{OpleidingAchtJaarNL, OpleidingSuriname, OpleidingGeen}
	}
	return []Opleiding{OpleidingAchtJaarNL, OpleidingGeen}
}

// Vraag is one question of the check, by the name its answer travels under.
type Vraag string

const (
	VraagNationaliteit Vraag = "nationaliteit"
	VraagGeboortedatum Vraag = "geboortedatum"
	VraagVerblijfsdoel Vraag = "verblijfsdoel"
	VraagPartnerstatus Vraag = "partnerstatus"
	VraagOpleiding     Vraag = "opleiding"
)

// Vragen are the questions in the order they are asked.
var Vragen = []Vraag{VraagNationaliteit, VraagGeboortedatum, VraagVerblijfsdoel, VraagPartnerstatus, VraagOpleiding}

// CheckAntwoorden are the answers given so far; an empty value is not answered (yet).
type CheckAntwoorden struct {
	Nationaliteit Nationaliteit
	Geboortedatum *Date
	Verblijfsdoel Verblijfsdoel
	Partnerstatus Partnerstatus
	Opleiding     Opleiding
}

// Answered reports whether q has an answer.
func (a CheckAntwoorden) Answered(q Vraag) bool {
	switch q {
	case VraagNationaliteit:
		return a.Nationaliteit != ""
	case VraagGeboortedatum:
		return a.Geboortedatum != nil
	case VraagVerblijfsdoel:
		return a.Verblijfsdoel != ""
	case VraagPartnerstatus:
		return a.Partnerstatus != ""
	case VraagOpleiding:
		return a.Opleiding != ""
	}
	return false
}

// Before keeps only the answers to the questions before q (the rest is asked again).
func (a CheckAntwoorden) Before(q Vraag) CheckAntwoorden {
	var out CheckAntwoorden
	for _, v := range Vragen {
		if v == q {
			break
		}
		switch v {
		case VraagNationaliteit:
			out.Nationaliteit = a.Nationaliteit
		case VraagGeboortedatum:
			out.Geboortedatum = a.Geboortedatum
		case VraagVerblijfsdoel:
			out.Verblijfsdoel = a.Verblijfsdoel
		case VraagPartnerstatus:
			out.Partnerstatus = a.Partnerstatus
		case VraagOpleiding:
			out.Opleiding = a.Opleiding
		}
	}
	return out
}

// ParseVerblijfsdoel parses a purpose of stay.
func ParseVerblijfsdoel(s string) (Verblijfsdoel, error) {
	if d := Verblijfsdoel(s); slices.Contains(Verblijfsdoelen, d) {
		return d, nil
	}
	return "", Invalid(Violation{Field: string(VraagVerblijfsdoel), MessageID: "nn.error.choose"})
}

// ParsePartnerstatus parses the partner's status.
func ParsePartnerstatus(s string) (Partnerstatus, error) {
	if p := Partnerstatus(s); slices.Contains(Partnerstatussen, p) {
		return p, nil
	}
	return "", Invalid(Violation{Field: string(VraagPartnerstatus), MessageID: "nn.error.choose"})
}

// ParseOpleiding parses prior education for a person of nationality n.
func ParseOpleiding(s string, n Nationaliteit) (Opleiding, error) {
	if o := Opleiding(s); slices.Contains(Opleidingen(n), o) {
		return o, nil
	}
	return "", Invalid(Violation{Field: string(VraagOpleiding), MessageID: "nn.error.choose"})
}

// ParseGeboortedatum checks a birth date given as three numbers on today: it must exist, not lie
// in the future, and not make the person older than MaxAgeYears.
func ParseGeboortedatum(year, month, day int, today Date, v VoorlichtingPolicy) (Date, error) {
	field := string(VraagGeboortedatum)
	if month < 1 || month > 12 || day < 1 || day > 31 || year < 1 || year > 9999 {
		return Date{}, Invalid(Violation{Field: field, MessageID: "nn.error.date_invalid"})
	}
	d := NewDate(year, time.Month(month), day)
	if d.Year != year || int(d.Month) != month || d.Day != day {
		return Date{}, Invalid(Violation{Field: field, MessageID: "nn.error.date_invalid"})
	}
	if d.After(today) {
		return Date{}, Invalid(Violation{Field: field, MessageID: "nn.error.date_future"})
	}
	if AgeOn(d, today) > v.MaxAgeYears {
		return Date{}, Invalid(Violation{Field: field, MessageID: "nn.error.date_too_old", Params: map[string]any{"Years": v.MaxAgeYears}})
	}
	return d, nil
}

// AgeOn is the age in whole years of someone born on birth, on day d.
func AgeOn(birth, d Date) int {
	age := d.Year - birth.Year
	if d.Month < birth.Month || d.Month == birth.Month && d.Day < birth.Day {
		age--
	}
	return age
}

// Grond is an exemption ground (vrijstellingsgrond) or a reason the IND decides.
type Grond string

const (
	GrondNederlander        Grond = "nederlandse_nationaliteit"
	GrondEUEER              Grond = "eu_eer_zwitserland"
	GrondNationaliteit      Grond = "vrijgestelde_nationaliteit"
	GrondTurks              Grond = "turkse_nationaliteit"
	GrondJongerDan18        Grond = "jonger_dan_18"
	GrondAOWLeeftijd        Grond = "aow_leeftijd"
	GrondTijdelijk          Grond = "tijdelijk_verblijf"
	GrondWijziging          Grond = "wijziging_verblijfsdoel"
	GrondGezinEUBurger      Grond = "gezinslid_eu_burger"
	GrondGezinAsiel         Grond = "gezinslid_asielstatushouder"
	GrondGezinTijdelijk     Grond = "gezinslid_tijdelijk_verblijf"
	GrondSuriname           Grond = "suriname_nederlands_onderwijs"
	GrondAchtJaarLeerplicht Grond = "acht_jaar_leerplichtig_in_nederland"
)

// Checkantwoord (uitkomst) is the answer to one of the check's two questions.
type Checkantwoord string

const (
	CheckJa         Checkantwoord = "ja"
	CheckNee        Checkantwoord = "nee"
	CheckINDBeslist Checkantwoord = "ind_beslist" // the sources disagree or it depends on a permit: the IND decides
)

// Zekerheid says how well a rule or figure is sourced (the labels of domain.md).
type Zekerheid string

const (
	ZekerheidWet        Zekerheid = "wet"        // checked against the law text or an official page [law]
	ZekerheidKamerbrief Zekerheid = "kamerbrief" // from the minister's letter [letter]
	ZekerheidDerden     Zekerheid = "derden"     // a third-party or secondary government page [3p]
	ZekerheidAanname    Zekerheid = "aanname"    // not verified: configuration [assume]
)

// Regel is what one ground means for the two questions, and where it comes from.
type Regel struct {
	Grond Grond
	// Examen is the ground's effect on the exam abroad: CheckNee (exempt) or CheckINDBeslist.
	Examen Checkantwoord
	// Inburgering is its effect on the obligation in the Netherlands: CheckNee (not obliged),
	// CheckINDBeslist, or "" (no effect: the obligation follows from the other answers).
	Inburgering Checkantwoord
	Bron        string // the source, as cited (in Dutch: it names Dutch documents)
	Zekerheid   Zekerheid
}

const (
	bronVrijstelling = "IND en Rijksoverheid, vrijstelling basisexamen inburgering buitenland (2023–2024)"
	bronPlicht       = "Wet inburgering 2021 (wie inburgeringsplichtig is) en inburgeren.nl"
)

// Regels are the rules of every ground (§2, §9).
var Regels = map[Grond]Regel{
	GrondNederlander:        {GrondNederlander, CheckNee, CheckNee, bronPlicht, ZekerheidWet},
	GrondEUEER:              {GrondEUEER, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondNationaliteit:      {GrondNationaliteit, CheckNee, "", bronVrijstelling, ZekerheidDerden},
	GrondTurks:              {GrondTurks, CheckINDBeslist, CheckINDBeslist, "IND; overheidspagina en rechtshulp spreken elkaar tegen over 1 januari 2022", ZekerheidDerden},
	GrondJongerDan18:        {GrondJongerDan18, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondAOWLeeftijd:        {GrondAOWLeeftijd, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondTijdelijk:          {GrondTijdelijk, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondWijziging:          {GrondWijziging, CheckNee, CheckINDBeslist, bronVrijstelling, ZekerheidDerden},
	GrondGezinEUBurger:      {GrondGezinEUBurger, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondGezinAsiel:         {GrondGezinAsiel, CheckNee, "", bronVrijstelling, ZekerheidDerden},
	GrondGezinTijdelijk:     {GrondGezinTijdelijk, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
	GrondSuriname:           {GrondSuriname, CheckNee, "", bronVrijstelling, ZekerheidDerden},
	GrondAchtJaarLeerplicht: {GrondAchtJaarLeerplicht, CheckNee, CheckNee, bronVrijstelling, ZekerheidDerden},
}

// CheckUitkomst is the result of the check.
type CheckUitkomst struct {
	// Compleet is false while a question that can still change the result is unanswered.
	Compleet bool
	// Volgende is the next question to ask when not Compleet.
	Volgende Vraag
	// Inburgeringsplicht: must this person integrate in the Netherlands (reach B1 within the term)?
	Inburgeringsplicht Checkantwoord
	// BasisexamenBuitenland: must this person pass the exam abroad before the MVV?
	BasisexamenBuitenland Checkantwoord
	// Regels are the grounds that apply, in the order the questions found them.
	Regels []Regel
	// Leeftijd is the age on the day of the check, when the birth date is known.
	Leeftijd *int
}

// Check applies the rules to the answers on today. It asks only what can still change the result:
// once both answers are "no", the remaining questions are skipped. The answers must be valid
// (parsed by the Parse functions); an answer to a question that does not apply is ignored.
func Check(a CheckAntwoorden, today Date, v VoorlichtingPolicy) CheckUitkomst {
	var grounds []Grond
	add := func(g Grond) { grounds = append(grounds, g) }
	out := CheckUitkomst{}
	decided := func() bool {
		ex, in := outcomes(grounds)
		return ex == CheckNee && in == CheckNee
	}
	next := Vraag("")
	for _, q := range Vragen {
		if decided() {
			break
		}
		if q == VraagPartnerstatus && a.Verblijfsdoel != DoelGezin {
			continue
		}
		if !a.Answered(q) {
			next = q
			break
		}
		switch q {
		case VraagNationaliteit:
			n := string(a.Nationaliteit)
			switch {
			case n == "NL":
				add(GrondNederlander)
			case slices.Contains(eeaSwiss, n):
				add(GrondEUEER)
			case slices.Contains(mvvFree, n):
				add(GrondNationaliteit)
			case n == "TR":
				add(GrondTurks)
			}
		case VraagGeboortedatum:
			age := AgeOn(*a.Geboortedatum, today)
			out.Leeftijd = &age
			switch {
			case age < v.MinimumAgeYears:
				add(GrondJongerDan18)
			case !a.Geboortedatum.AddYears(v.AOWAgeYears).AddMonths(v.AOWAgeExtraMonths).After(today):
				add(GrondAOWLeeftijd)
			}
		case VraagVerblijfsdoel:
			switch {
			case a.Verblijfsdoel.temporary():
				add(GrondTijdelijk)
			case a.Verblijfsdoel == DoelWijziging:
				add(GrondWijziging)
			}
		case VraagPartnerstatus:
			switch a.Partnerstatus {
			case PartnerEUBurger:
				add(GrondGezinEUBurger)
			case PartnerAsielstatushouder:
				add(GrondGezinAsiel)
			case PartnerTijdelijk:
				add(GrondGezinTijdelijk)
			}
		case VraagOpleiding:
			switch a.Opleiding {
			case OpleidingAchtJaarNL:
				add(GrondAchtJaarLeerplicht)
			case OpleidingSuriname:
				if a.Nationaliteit == "SR" {
					add(GrondSuriname)
				}
			}
		}
	}
	out.Volgende = next
	out.Compleet = next == ""
	out.BasisexamenBuitenland, out.Inburgeringsplicht = outcomes(grounds)
	for _, g := range grounds {
		out.Regels = append(out.Regels, Regels[g])
	}
	return out
}

// outcomes combines the grounds found: one exempting ground is enough for "no", whatever else
// applies; otherwise a ground on which the IND decides makes the answer the IND's.
func outcomes(grounds []Grond) (examen, inburgering Checkantwoord) {
	var ex, in []Checkantwoord
	for _, g := range grounds {
		ex, in = append(ex, Regels[g].Examen), append(in, Regels[g].Inburgering)
	}
	return combine(ex), combine(in)
}

func combine(effects []Checkantwoord) Checkantwoord {
	out := CheckJa
	for _, e := range effects {
		switch e {
		case CheckNee:
			return CheckNee
		case CheckINDBeslist:
			out = CheckINDBeslist
		}
	}
	return out
}
