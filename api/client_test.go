package api_test

import (
	"context"
	"net/http"
	"testing"

	apiclient "github.com/inburgering/portal/api/client"
)

// TestGeneratedClient is a consumer's view: the Go client that oapi-codegen generates from
// openapi.yaml (api/client) talks to the real server over HTTP, with at least one end-to-end
// call per resource. A spec that promises what the server does not do breaks the decoding here.
func TestGeneratedClient(t *testing.T) {
	t.Parallel()
	g := newGenClients(t)
	ctx := context.Background()
	anon, login := g.anon, g.login

	// The spec itself.
	spec, err := anon.GetOpenapiWithResponse(ctx)
	if err != nil || spec.StatusCode() != http.StatusOK || spec.JSON200 == nil {
		t.Fatalf("openapi.json: %v %v", err, spec.Status())
	}
	if spec.HTTPResponse.Header.Get("API-Version") == "" {
		t.Error("no API-Version")
	}

	// Demo tokens: one per persona the test uses (g.login); an unknown persona has none.
	if r, err := anon.CreateDemoTokenWithResponse(ctx, apiclient.DemoTokenAanvraag{Persona: "niemand"}); err != nil || r.ApplicationProblemJSON404 == nil {
		t.Errorf("unknown persona: %v %s", err, r.Status())
	}

	yusuf := login("yusuf")
	// Inburgeringstermijn.
	term, err := yusuf.GetInburgeringstermijnWithResponse(ctx)
	if err != nil || term.JSON200 == nil || term.JSON200.Regime == "" {
		t.Fatalf("term: %v %s %s", err, term.Status(), term.Body)
	}
	// Lening.
	loan, err := yusuf.GetLeningWithResponse(ctx)
	if err != nil || loan.JSON200 == nil || loan.JSON200.MaximumInCenten == nil || loan.JSON200.GebruiktInCenten <= 0 {
		t.Fatalf("loan: %v %s %s", err, loan.Status(), loan.Body)
	}
	// PIP.
	pip, err := login("amal").GetPipWithResponse(ctx)
	if err != nil || pip.JSON200 == nil || len(pip.JSON200.Onderdelen) == 0 {
		t.Fatalf("pip: %v %s %s", err, pip.Status(), pip.Body)
	}
	// Profiel: read, change, read back; a language the site does not offer is refused by the enum.
	prof, err := yusuf.GetProfielWithResponse(ctx)
	if err != nil || prof.JSON200 == nil || prof.JSON200.Voorkeurstaal != "tr" {
		t.Fatalf("profile: %v %s %s", err, prof.Status(), prof.Body)
	}
	upd, err := yusuf.UpdateProfielWithResponse(ctx, apiclient.ProfielWijziging{Voorkeurstaal: apiclient.ProfielWijzigingVoorkeurstaalAr})
	if err != nil || upd.JSON200 == nil || upd.JSON200.Voorkeurstaal != "ar" {
		t.Fatalf("profile update: %v %s %s", err, upd.Status(), upd.Body)
	}
	bad, err := yusuf.UpdateProfielWithResponse(ctx, apiclient.ProfielWijziging{Voorkeurstaal: "aa"})
	if err != nil || bad.ApplicationProblemJSON400 == nil || len(*bad.ApplicationProblemJSON400.InvalidParams) != 1 {
		t.Fatalf("profile update to aa: %v %s %s", err, bad.Status(), bad.Body)
	}

	// Berichten: page through with the client's own cursor, read one, mark it read.
	ahmad := login("ahmad")
	limit := apiclient.Limit(1)
	page, err := ahmad.ListBerichtenWithResponse(ctx, &apiclient.ListBerichtenParams{Limit: &limit})
	if err != nil || page.JSON200 == nil || len(page.JSON200.Berichten) != 1 || page.JSON200.Volgende == nil {
		t.Fatalf("messages page 1: %v %s %s", err, page.Status(), page.Body)
	}
	cur := apiclient.Cursor(*page.JSON200.Volgende)
	page2, err := ahmad.ListBerichtenWithResponse(ctx, &apiclient.ListBerichtenParams{Limit: &limit, Cursor: &cur})
	if err != nil || page2.JSON200 == nil || len(page2.JSON200.Berichten) != 1 || page2.JSON200.Berichten[0].ID == page.JSON200.Berichten[0].ID {
		t.Fatalf("messages page 2: %v %s %s", err, page2.Status(), page2.Body)
	}
	id := page.JSON200.Berichten[0].ID
	one, err := ahmad.GetBerichtWithResponse(ctx, id)
	if err != nil || one.JSON200 == nil || one.JSON200.ID != id {
		t.Fatalf("message: %v %s %s", err, one.Status(), one.Body)
	}
	read, err := ahmad.UpdateBerichtWithResponse(ctx, id, apiclient.BerichtWijziging{Gelezen: true})
	if err != nil || read.JSON200 == nil || !read.JSON200.Gelezen {
		t.Fatalf("mark read: %v %s %s", err, read.Status(), read.Body)
	}
	if nf, err := ahmad.GetBerichtWithResponse(ctx, 999999); err != nil || nf.ApplicationProblemJSON404 == nil {
		t.Errorf("unknown message: %v %s", err, nf.Status())
	}

	// Facturen: list, read one, decide on an open one.
	olena := login("olena")
	list, err := olena.ListFacturenWithResponse(ctx, &apiclient.ListFacturenParams{})
	if err != nil || list.JSON200 == nil || len(list.JSON200.Facturen) == 0 {
		t.Fatalf("invoices: %v %s %s", err, list.Status(), list.Body)
	}
	var open *apiclient.Schoolfactuur
	for i, f := range list.JSON200.Facturen {
		if f.Status == apiclient.SchoolfactuurStatusOpen {
			open = &list.JSON200.Facturen[i]
			break
		}
	}
	if open == nil {
		t.Fatalf("olena has no open invoice: %s", list.Body)
	}
	got, err := olena.GetFactuurWithResponse(ctx, open.ID)
	if err != nil || got.JSON200 == nil || got.JSON200.ID != open.ID {
		t.Fatalf("invoice: %v %s %s", err, got.Status(), got.Body)
	}
	dec, err := olena.CreateFactuurBesluitWithResponse(ctx, open.ID, apiclient.FactuurBesluit{Besluit: apiclient.FactuurBesluitBesluitAccepteren})
	if err != nil || dec.JSON201 == nil || dec.JSON201.Status != apiclient.SchoolfactuurStatusGeaccepteerd {
		t.Fatalf("accept: %v %s %s", err, dec.Status(), dec.Body)
	}
	again, err := olena.CreateFactuurBesluitWithResponse(ctx, open.ID, apiclient.FactuurBesluit{Besluit: apiclient.FactuurBesluitBesluitAccepteren})
	if err != nil || again.ApplicationProblemJSON409 == nil {
		t.Errorf("second decision: %v %s %s", err, again.Status(), again.Body)
	}
}
