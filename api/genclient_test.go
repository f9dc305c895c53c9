package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	apiclient "github.com/inburgering/portal/api/client"
	"github.com/inburgering/portal/internal/testenv"
)

// genClients is the consumer's set-up of the generated client (api/client), shared by
// TestGeneratedClient and TestGeneratedClientResources: a seeded service behind a real HTTP
// server, the client without a token, and clients that send a bearer token.
type genClients struct {
	t    *testing.T
	url  string
	anon *apiclient.ClientWithResponses
}

// newGenClients starts a seeded service over HTTP for the generated client.
func newGenClients(t *testing.T) *genClients {
	t.Helper()
	a := testenv.New(t, testenv.Options{})
	srv := httptest.NewServer(a.Echo)
	t.Cleanup(srv.Close)
	anon, err := apiclient.NewClientWithResponses(srv.URL + "/v2")
	if err != nil {
		t.Fatal(err)
	}
	return &genClients{t: t, url: srv.URL + "/v2", anon: anon}
}

// bearer is a client that sends tok.
func (g *genClients) bearer(tok string) *apiclient.ClientWithResponses {
	g.t.Helper()
	c, err := apiclient.NewClientWithResponses(g.url, apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+tok)
		return nil
	}))
	if err != nil {
		g.t.Fatal(err)
	}
	return c
}

// login is a client with a demo token for persona (POST /v2/demo-tokens through the client).
func (g *genClients) login(persona string) *apiclient.ClientWithResponses {
	g.t.Helper()
	tok, err := g.anon.CreateDemoTokenWithResponse(context.Background(), apiclient.DemoTokenAanvraag{Persona: persona})
	if err != nil || tok.JSON201 == nil {
		g.t.Fatalf("demo token for %s: %v %s %s", persona, err, tok.Status(), tok.Body)
	}
	return g.bearer(tok.JSON201.AccessToken)
}
