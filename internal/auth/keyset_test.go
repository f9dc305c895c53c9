package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// provider serves a JWKS and signs tokens with its keys.
type testProvider struct {
	mu      sync.Mutex
	keys    map[string]*ecdsa.PrivateKey
	fetches atomic.Int64
	srv     *httptest.Server
}

func newTestProvider(t *testing.T) *testProvider {
	p := &testProvider{keys: map[string]*ecdsa.PrivateKey{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		p.mu.Lock()
		defer p.mu.Unlock()
		var set jose.JSONWebKeySet
		for kid, k := range p.keys {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: "ES256", Use: "sig"})
		}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testProvider) addKey(t *testing.T, kid string) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.keys[kid] = k
	p.mu.Unlock()
}

func (p *testProvider) sign(t *testing.T, kid string) string {
	p.mu.Lock()
	k := p.keys[kid]
	p.mu.Unlock()
	if k == nil {
		var err error
		if k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			t.Fatal(err)
		}
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k}, (&jose.SignerOptions{}).WithHeader("kid", kid).WithType("at+jwt"))
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign([]byte(`{"sub":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The key set is fetched at most once per interval, and a rotated key is picked up once the
// interval has passed.
func TestKeySetRefreshInterval(t *testing.T) {
	ctx := context.Background()
	p := newTestProvider(t)
	p.addKey(t, "k1")
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ks := newKeySet(p.srv.URL, time.Minute)
	ks.now = func() time.Time { return now }

	if _, err := ks.VerifySignature(ctx, p.sign(t, "k1")); err != nil {
		t.Fatalf("k1: %v", err)
	}
	if n := p.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for the first token, want 1", n)
	}
	for range 20 {
		if _, err := ks.VerifySignature(ctx, p.sign(t, "unknown")); err == nil {
			t.Fatal("a token under an unknown key verified")
		}
		if _, err := ks.VerifySignature(ctx, p.sign(t, "k1")); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches, want still 1 within the interval", n)
	}

	// The provider rotates to k2: refused until the interval has passed, then fetched once.
	p.addKey(t, "k2")
	if _, err := ks.VerifySignature(ctx, p.sign(t, "k2")); err == nil {
		t.Fatal("k2 verified without a fetch")
	}
	now = now.Add(61 * time.Second)
	for range 5 {
		if _, err := ks.VerifySignature(ctx, p.sign(t, "k2")); err != nil {
			t.Fatalf("k2 after the interval: %v", err)
		}
	}
	if n := p.fetches.Load(); n != 2 {
		t.Errorf("%d fetches after the rotation, want 2", n)
	}
}

// Concurrent tokens with unknown key IDs share one fetch.
func TestKeySetConcurrentUnknownKids(t *testing.T) {
	p := newTestProvider(t)
	p.addKey(t, "k1")
	ks := newKeySet(p.srv.URL, time.Minute)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = ks.VerifySignature(context.Background(), p.sign(t, "forged"+string(rune('a'+i%26))))
		}()
	}
	wg.Wait()
	if n := p.fetches.Load(); n != 1 {
		t.Errorf("%d fetches for 40 concurrent forged tokens, want 1", n)
	}
}

func TestParseJWT(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	payload, sig := enc(`{"sub":"x"}`), enc("sig")
	tests := []struct {
		name, token string
		ok          bool
	}{
		{"RS256 with kid", enc(`{"alg":"RS256","kid":"k","typ":"at+jwt"}`) + "." + payload + "." + sig, true},
		{"ES256 with kid", enc(`{"alg":"ES256","kid":"k"}`) + "." + payload + "." + sig, true},
		{"no kid", enc(`{"alg":"RS256"}`) + "." + payload + "." + sig, false},
		{"HS256", enc(`{"alg":"HS256","kid":"k"}`) + "." + payload + "." + sig, false},
		{"none", enc(`{"alg":"none","kid":"k"}`) + "." + payload + ".", false},
		{"two parts", enc(`{"alg":"RS256","kid":"k"}`) + "." + payload, false},
		{"four parts", enc(`{"alg":"RS256","kid":"k"}`) + "." + payload + "." + sig + "." + sig, false},
		{"padded base64", enc(`{"alg":"RS256","kid":"k"}`) + "=." + payload + "." + sig, false},
		{"standard base64", enc(`{"alg":"RS256","kid":"k"}`) + "." + base64.StdEncoding.EncodeToString([]byte(`{"sub":"??>"}`)) + "." + sig, false},
		{"payload not JSON", enc(`{"alg":"RS256","kid":"k"}`) + "." + enc("hello") + "." + sig, false},
		{"payload a JSON array", enc(`{"alg":"RS256","kid":"k"}`) + "." + enc("[1]") + "." + sig, false},
		{"header not JSON", enc(`alg`) + "." + payload + "." + sig, false},
		{"kid not a string", enc(`{"alg":"RS256","kid":1}`) + "." + payload + "." + sig, false},
		{"too long", enc(`{"alg":"RS256","kid":"`+strings.Repeat("k", MaxTokenLength)+`"}`) + "." + payload + "." + sig, false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseJWT(tt.token); (err == nil) != tt.ok {
				t.Errorf("parseJWT: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestDeriveKey(t *testing.T) {
	root := []byte(strings.Repeat("r", 32))
	a, b := DeriveKey(root, PurposeFlowCookie), DeriveKey(root, PurposeIDToken)
	if len(a) != 32 || string(a) == string(b) || string(a) == string(root) {
		t.Fatalf("keys per purpose: %x %x", a, b)
	}
	if string(DeriveKey(root, PurposeFlowCookie)) != string(a) {
		t.Error("not deterministic")
	}
	if string(DeriveKey([]byte(strings.Repeat("s", 32)), PurposeFlowCookie)) == string(a) {
		t.Error("another root gives the same key")
	}
	sealed, err := NewSealerFor(root, PurposeIDToken).Seal("token")
	if err != nil {
		t.Fatal(err)
	}
	var s string
	if NewSealer(root).Open(sealed, &s) == nil {
		t.Error("the flow-cookie sealer opens a value sealed for the ID token")
	}
	if err := NewSealerFor(root, PurposeIDToken).Open(sealed, &s); err != nil || s != "token" {
		t.Errorf("open: %q %v", s, err)
	}
}
