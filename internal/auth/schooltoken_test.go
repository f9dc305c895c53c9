package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

const testPrivateJWK = `{"use":"sig","kty":"EC","kid":"k1","crv":"P-256","alg":"ES256","x":"u1M70ON0jjXt794_u8eoJ6vbbvSXYtZxh1TCHfGL91Q","y":"_ogXp55C2uaBpC7ELDZgOgKlhJVRP2K7L5aEqyCXTik","d":"ICz7XDTGnATRQ34M2M-S-A8uk5BQtOhv7RWJ9uMrbUc"}`

func TestParseJWKS(t *testing.T) {
	public, err := PublicJWKSOf(testPrivateJWK)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"public EC key", string(public), true},
		{"private key", `{"keys":[` + testPrivateJWK + `]}`, false},
		{"symmetric key", `{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}]}`, false},
		{"empty set", `{"keys":[]}`, false},
		{"not JSON", `keys`, false},
		{"encryption key", strings.Replace(string(public), `"use":"sig"`, `"use":"enc"`, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseJWKS([]byte(tt.raw)); (err == nil) != tt.ok {
				t.Errorf("ParseJWKS: %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestSchoolTokensRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	st := SchoolTokens{Key: DeriveKey([]byte(strings.Repeat("k", 32)), PurposeSchoolAccessToken), Issuer: "https://portal.example"}
	tok, err := st.Sign("school-1", []domain.Scope{domain.ScopeContractsWrite}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !IsSchoolToken(tok) || IsSchoolToken("abc") {
		t.Error("IsSchoolToken")
	}
	id, scopes, err := st.Verify(tok, now.Add(time.Minute))
	if err != nil || id != "school-1" || len(scopes) != 1 || scopes[0] != domain.ScopeContractsWrite {
		t.Fatalf("verify: %s %v %v", id, scopes, err)
	}
	if _, _, err := st.Verify(tok, now.Add(SchoolTokenLifetime+time.Second)); domain.ErrorKind(err) != domain.KindUnauthorized || err.(*domain.Error).MessageID != "error.token_expired" {
		t.Errorf("expired: %v", err)
	}
	other := SchoolTokens{Key: DeriveKey([]byte(strings.Repeat("x", 32)), PurposeSchoolAccessToken), Issuer: st.Issuer}
	if _, _, err := other.Verify(tok, now); err == nil {
		t.Error("a token signed with another key verified")
	}
	elsewhere := SchoolTokens{Key: st.Key, Issuer: "https://elders.example"}
	if _, _, err := elsewhere.Verify(tok, now); err == nil {
		t.Error("a token of another issuer verified")
	}
}
