package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
)

func TestClientCommands(t *testing.T) {
	e := demoEnv(t)
	ctx := context.Background()
	jwks, err := auth.PublicJWKSOf(app.DemoSchools[1].PrivateKeys[0])
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(file, jwks, 0o600); err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append([]string{"client"}, args...), getenv(e), &out)
		return out.String(), err
	}
	add := []string{"add", "-id", "school-oost", "-name", "Taalschool Oost", "-bow", "4711", "-keurmerk-tot", "2027-12-31", "-jwks", file, "-scopes", "urenverklaringen:schrijven"}
	if out, err := cli(add...); err != nil || !strings.Contains(out, "school-oost registered") {
		t.Fatalf("add: %q %v", out, err)
	}
	if _, err := cli(add...); err == nil || !strings.Contains(err.Error(), "error.conflict") {
		t.Errorf("adding the same client twice: %v", err)
	}
	bad := append([]string(nil), add...)
	bad[2], bad[6] = "school-west", "47-11"
	if _, err := cli(bad...); err == nil || !strings.Contains(err.Error(), "bowNummer") {
		t.Errorf("bad BOW number: %v", err)
	}
	bad[6], bad[10] = "4712", filepath.Join(t.TempDir(), "missing.json")
	if _, err := cli(bad...); err == nil {
		t.Error("a missing JWKS file was accepted")
	}
	priv := filepath.Join(t.TempDir(), "private.json")
	_ = os.WriteFile(priv, []byte(`{"keys":[`+app.DemoSchools[1].PrivateKeys[0]+`]}`), 0o600)
	bad[10] = priv
	if _, err := cli(bad...); err == nil || !strings.Contains(err.Error(), "jwks") {
		t.Errorf("a private key was registered: %v", err)
	}
	out, err := cli("list")
	if err != nil || !strings.Contains(out, "school-oost") || !strings.Contains(out, "actief") || strings.Contains(out, "school-west") {
		t.Fatalf("list: %q %v", out, err)
	}
	if out, err := cli("revoke", "-id", "school-oost"); err != nil || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %q %v", out, err)
	}
	if _, err := cli("revoke", "-id", "school-oost"); err == nil {
		t.Error("revoking twice succeeded")
	}
	if out, _ := cli("list"); !strings.Contains(out, "ingetrokken") {
		t.Errorf("list after revoke: %q", out)
	}
}

func TestClientAssertion(t *testing.T) {
	var out bytes.Buffer
	env := map[string]string{"DATA_DIR": t.TempDir(), "BASE_URL": "https://portal.example"}
	if err := run(context.Background(), []string{"client", "assertion", "-id", "demo-taalschool-noord", "-key", "1"}, getenv(env), &out); err != nil {
		t.Fatal(err)
	}
	a := strings.TrimSpace(out.String())
	d, _ := app.DemoSchoolByClientID("demo-taalschool-noord")
	jwks, _ := auth.PublicJWKSOf(d.PrivateKeys...)
	set, err := auth.ParseJWKS(jwks)
	if err != nil {
		t.Fatal(err)
	}
	got, err := auth.VerifyAssertion(a, d.ClientID, set, []string{"https://portal.example/v2/oauth2/token"}, time.Now())
	if err != nil || got.JTI == "" {
		t.Fatalf("the printed assertion does not verify: %v", err)
	}
	if err := run(context.Background(), []string{"client", "assertion", "-id", "school-oost"}, getenv(env), &out); err == nil {
		t.Error("an assertion for a school that is not a demo school")
	}
}
