package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	apiclient "github.com/inburgering/portal/api/client"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/testenv"
)

// TestGeneratedClientResources completes the consumer's view of TestGeneratedClient: the
// resources it does not call (appointments, medical requests, pre-arrival information, and the
// schools' token, contracts, contract files, hour declarations and verification requests) through
// the generated client over HTTP, each with at least one call whose answer the client decodes.
func TestGeneratedClientResources(t *testing.T) {
	t.Parallel()
	g := newGenClients(t)
	ctx := context.Background()
	anon, bearer, login := g.anon, g.bearer, g.login

	// Afspraaktypen and their free slots; my appointments.
	olena := login("olena")
	types, err := olena.ListAfspraaktypenWithResponse(ctx)
	if err != nil || types.JSON200 == nil || len(types.JSON200.Afspraaktypen) == 0 {
		t.Fatalf("appointment types: %v %s %s", err, types.Status(), types.Body)
	}
	slots, err := olena.ListTijdslotenWithResponse(ctx, "lening", &apiclient.ListTijdslotenParams{})
	if err != nil || slots.JSON200 == nil {
		t.Fatalf("slots: %v %s %s", err, slots.Status(), slots.Body)
	}
	mine, err := olena.ListAfsprakenWithResponse(ctx, nil)
	if err != nil || mine.JSON200 == nil || len(mine.JSON200.Afspraken) == 0 {
		t.Fatalf("my appointments: %v %s %s", err, mine.Status(), mine.Body)
	}
	one, err := olena.GetAfspraakWithResponse(ctx, mine.JSON200.Afspraken[0].ID)
	if err != nil || one.JSON200 == nil || one.JSON200.ID != mine.JSON200.Afspraken[0].ID {
		t.Fatalf("appointment: %v %s %s", err, one.Status(), one.Body)
	}

	// Medical requests, the request and its consents.
	hamid := login("hamid")
	reqs, err := hamid.ListMedischeAanvragenWithResponse(ctx)
	if err != nil || reqs.JSON200 == nil || len(reqs.JSON200.MedischeAanvragen) == 0 {
		t.Fatalf("medical requests: %v %s %s", err, reqs.Status(), reqs.Body)
	}
	id := reqs.JSON200.MedischeAanvragen[0].ID
	if r, err := hamid.GetMedischeAanvraagWithResponse(ctx, id); err != nil || r.JSON200 == nil {
		t.Fatalf("medical request: %v %s %s", err, r.Status(), r.Body)
	}
	if r, err := hamid.ListToestemmingenWithResponse(ctx, id); err != nil || r.JSON200 == nil || len(r.JSON200.KeuzesMogelijk) == 0 {
		t.Fatalf("consents: %v %s %s", err, r.Status(), r.Body)
	}

	// Pre-arrival information: a cost estimate on the defaults (every answer optional).
	nl := apiclient.AcceptLanguage("nl")
	if r, err := anon.CreateKostenramingWithResponse(ctx, &apiclient.CreateKostenramingParams{AcceptLanguage: &nl}, apiclient.KostenramingAanvraag{}); err != nil || r.JSON200 == nil || r.JSON200.TotaalInCenten <= 0 {
		t.Errorf("cost estimate: %v %s %s", err, r.Status(), r.Body)
	}

	// A school: its token (private_key_jwt), then its lists and a contract file that is refused.
	tok, err := anon.CreateTokenWithFormdataBodyWithResponse(ctx, apiclient.TokenAanvraag{
		GrantType:           "client_credentials",
		ClientAssertionType: apiclient.TokenAanvraagClientAssertionType(auth.ClientAssertionType),
		ClientAssertion:     assertion(t, "demo-taalschool-noord", 0, tokenURL, testenv.Now, time.Minute),
	})
	if err != nil || tok.JSON200 == nil {
		t.Fatalf("school token: %v %s %s", err, tok.Status(), tok.Body)
	}
	school := bearer(tok.JSON200.AccessToken)
	if r, err := school.ListContractenWithResponse(ctx, &apiclient.ListContractenParams{}); err != nil || r.JSON200 == nil {
		t.Errorf("contracts: %v %s %s", err, r.Status(), r.Body)
	}
	if r, err := school.ListUrenverklaringenWithResponse(ctx, &apiclient.ListUrenverklaringenParams{}); err != nil || r.JSON200 == nil {
		t.Errorf("hour declarations: %v %s %s", err, r.Status(), r.Body)
	}
	if r, err := school.ListVerificatieverzoekenWithResponse(ctx, &apiclient.ListVerificatieverzoekenParams{}); err != nil || r.JSON200 == nil {
		t.Errorf("verification requests: %v %s %s", err, r.Status(), r.Body)
	}
	r, err := school.CreateContractbestandWithBodyWithResponse(ctx, &apiclient.CreateContractbestandParams{IdempotencyKey: "client-test-1"},
		"text/csv", strings.NewReader("geen;geldige;kop\n"))
	if err != nil || r.StatusCode() != http.StatusBadRequest || r.ApplicationProblemJSON400 == nil {
		t.Errorf("contract file without a valid header: %v %s %s", err, r.Status(), r.Body)
	}
}
