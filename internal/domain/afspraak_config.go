package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Bounds of what staff can configure for appointments.
const (
	MinDuurMinuten    = 5
	MaxDuurMinuten    = 480 // the schema's bound on a slot's duration
	MaxWijzigtermijnU = 168 // a week
	MinHorizonDagen   = 7
	MaxHorizonDagen   = 180
	MinAdresLengte    = 5
	MaxAdresLengte    = 200
)

// AfspraakTypeWijziging is staff's answer for one type, as typed in the form.
type AfspraakTypeWijziging struct {
	Soort       AfspraakSoort
	Kanalen     []string
	DuurMinuten string
	Doelgroep   string
}

// AfspraakConfigWijziging is staff's change of the appointment configuration: per type its
// channels, duration and who may book it; per office its address; the cutoff before the start
// until which people may move or cancel, and the horizon.
type AfspraakConfigWijziging struct {
	Types             []AfspraakTypeWijziging
	Adressen          map[string]string // office code → address
	WijzigtermijnUren string
	HorizonDagen      string
}

// Apply checks w against c and returns the changed configuration; every problem is a violation
// on the field it concerns (fields named "kanalen-<soort>", "duur-<soort>", "doelgroep-<soort>",
// "adres-<office>", "wijzigtermijn", "horizon"). Types and offices are not added or removed here:
// their codes are stored on slots and appointments.
func (c AfspraakConfig) Apply(w AfspraakConfigWijziging) (AfspraakConfig, error) {
	out := AfspraakConfig{Types: slices.Clone(c.Types), Kantoren: slices.Clone(c.Kantoren), HorizonDagen: c.HorizonDagen, Wijzigtermijn: c.Wijzigtermijn}
	var vs []Violation
	for _, tw := range w.Types {
		i := slices.IndexFunc(out.Types, func(t AfspraakType) bool { return t.Soort == tw.Soort })
		if i < 0 {
			vs = append(vs, Violation{Field: "soort", MessageID: "error.afspraak_type_unknown"})
			continue
		}
		t := out.Types[i]
		var ks []AfspraakKanaal
		bad := len(tw.Kanalen) == 0
		for _, k := range tw.Kanalen {
			kk := AfspraakKanaal(k)
			if !slices.Contains(Kanalen, kk) {
				bad = true
			} else if !slices.Contains(ks, kk) {
				ks = append(ks, kk)
			}
		}
		if bad {
			vs = append(vs, Violation{Field: "kanalen-" + string(t.Soort), MessageID: "error.afspraak_config_channels"})
		} else {
			// In the stable order of Kanalen.
			slices.SortFunc(ks, func(a, b AfspraakKanaal) int { return slices.Index(Kanalen, a) - slices.Index(Kanalen, b) })
			t.Kanalen = ks
		}
		if n, err := strconv.Atoi(strings.TrimSpace(tw.DuurMinuten)); err != nil || n < MinDuurMinuten || n > MaxDuurMinuten || n%5 != 0 {
			vs = append(vs, Violation{Field: "duur-" + string(t.Soort), MessageID: "error.afspraak_config_duration",
				Params: map[string]any{"Min": MinDuurMinuten, "Max": MaxDuurMinuten}})
		} else {
			t.Duur = time.Duration(n) * time.Minute
		}
		switch g := Doelgroep(tw.Doelgroep); g {
		case DoelgroepIedereen, DoelgroepVooraankondiging:
			t.Doelgroep = g
		default:
			vs = append(vs, Violation{Field: "doelgroep-" + string(t.Soort), MessageID: "error.afspraak_config_audience"})
		}
		out.Types[i] = t
	}
	for code, adres := range w.Adressen {
		i := slices.IndexFunc(out.Kantoren, func(k Kantoor) bool { return k.Code == code })
		if i < 0 {
			vs = append(vs, Violation{Field: "kantoor", MessageID: "error.afspraak_kantoor_unknown"})
			continue
		}
		a := strings.Join(strings.Fields(adres), " ")
		if n := len([]rune(a)); n < MinAdresLengte || n > MaxAdresLengte {
			vs = append(vs, Violation{Field: "adres-" + code, MessageID: "error.afspraak_config_address", Params: map[string]any{"Max": MaxAdresLengte}})
			continue
		}
		out.Kantoren[i].Adres = a
	}
	if w.WijzigtermijnUren != "" || w.HorizonDagen != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(w.WijzigtermijnUren)); err != nil || n < 0 || n > MaxWijzigtermijnU {
			vs = append(vs, Violation{Field: "wijzigtermijn", MessageID: "error.afspraak_config_cutoff", Params: map[string]any{"Max": MaxWijzigtermijnU}})
		} else {
			out.Wijzigtermijn = time.Duration(n) * time.Hour
		}
		if n, err := strconv.Atoi(strings.TrimSpace(w.HorizonDagen)); err != nil || n < MinHorizonDagen || n > MaxHorizonDagen {
			vs = append(vs, Violation{Field: "horizon", MessageID: "error.afspraak_config_horizon", Params: map[string]any{"Min": MinHorizonDagen, "Max": MaxHorizonDagen}})
		} else {
			out.HorizonDagen = n
		}
	}
	if len(vs) > 0 {
		slices.SortStableFunc(vs, func(a, b Violation) int { return strings.Compare(a.Field, b.Field) })
		return c, Invalid(vs...)
	}
	return out, nil
}
