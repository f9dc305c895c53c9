package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// MaxTokenLength bounds the tokens looked at: longer ones are refused without any work.
const MaxTokenLength = 4096

// DefaultKeyRefresh is the shortest interval between two fetches of the provider's key set.
const DefaultKeyRefresh = time.Minute

// signingAlgs are the JWS algorithms accepted from the provider: asymmetric only, never "none"
// or an HMAC (whose key would be the client secret).
var signingAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// jwtHeader is the protected header of a compact JWS.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

var errMalformed = errors.New("token is not a well-formed signed JWT")

// parseJWT checks, without any network call, that token is a compact JWS of three base64url
// parts whose header and payload are JSON objects, with an algorithm we accept and a key ID.
// It returns the header; the header is only trustworthy once the signature has been verified.
func parseJWT(token string) (jwtHeader, error) {
	var h jwtHeader
	if len(token) > MaxTokenLength {
		return h, errMalformed
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[2] == "" {
		return h, errMalformed
	}
	var raw [2]map[string]json.RawMessage
	for i := range 2 {
		b, err := base64.RawURLEncoding.Strict().DecodeString(parts[i])
		if err != nil || json.Unmarshal(b, &raw[i]) != nil || raw[i] == nil {
			return h, errMalformed
		}
		if i == 0 && json.Unmarshal(b, &h) != nil {
			return h, errMalformed
		}
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(parts[2]); err != nil {
		return h, errMalformed
	}
	if h.Kid == "" || !slices.Contains(signingAlgs, jose.SignatureAlgorithm(h.Alg)) {
		return h, fmt.Errorf("%w: no key ID or algorithm %q not accepted", errMalformed, h.Alg)
	}
	return h, nil
}

// keySet is the provider's JSON Web Key Set (an oidc.KeySet). Unlike go-oidc's RemoteKeySet,
// which fetches the set again for every token with an unknown key ID or a bad signature, it
// fetches at most once per interval, however many bad tokens arrive: a forged token cannot
// make us hammer the provider. A bad signature under a known key never causes a fetch.
type keySet struct {
	url      string
	client   *http.Client
	interval time.Duration
	now      func() time.Time

	mu       sync.Mutex
	keys     []jose.JSONWebKey
	fetchErr error
	lastTry  time.Time
	inflight chan struct{} // closed when the fetch in progress ends
}

func newKeySet(jwksURL string, interval time.Duration) *keySet {
	if interval <= 0 {
		interval = DefaultKeyRefresh
	}
	return &keySet{url: jwksURL, client: &http.Client{Timeout: 10 * time.Second}, interval: interval, now: time.Now}
}

// VerifySignature implements oidc.KeySet.
func (k *keySet) VerifySignature(ctx context.Context, token string) ([]byte, error) {
	jws, err := jose.ParseSigned(token, signingAlgs)
	if err != nil {
		return nil, err
	}
	if len(jws.Signatures) != 1 {
		return nil, errMalformed
	}
	kid := jws.Signatures[0].Header.KeyID
	k.mu.Lock()
	keys := k.keys
	k.mu.Unlock()
	if key, ok := findKey(keys, kid); ok {
		return jws.Verify(key)
	}
	keys, err = k.refresh(ctx)
	if err != nil {
		return nil, err
	}
	if key, ok := findKey(keys, kid); ok {
		return jws.Verify(key)
	}
	return nil, fmt.Errorf("no key %q in the provider's key set", kid)
}

func findKey(keys []jose.JSONWebKey, kid string) (jose.JSONWebKey, bool) {
	for _, key := range keys {
		if key.KeyID == kid && kid != "" && (key.Use == "" || key.Use == "sig") {
			return key, true
		}
	}
	return jose.JSONWebKey{}, false
}

// refresh fetches the key set unless a fetch started less than an interval ago; concurrent
// callers share one fetch. It returns the keys known afterwards.
func (k *keySet) refresh(ctx context.Context) ([]jose.JSONWebKey, error) {
	k.mu.Lock()
	if k.inflight == nil {
		if !k.lastTry.IsZero() && k.now().Sub(k.lastTry) < k.interval {
			keys := k.keys
			k.mu.Unlock()
			return keys, nil
		}
		k.lastTry = k.now()
		done := make(chan struct{})
		k.inflight = done
		go func() {
			// Not the request's context: a client hanging up must not abort the fetch for others.
			keys, err := k.fetch()
			k.mu.Lock()
			if err == nil {
				k.keys = keys
			}
			k.fetchErr = err
			k.inflight = nil
			k.mu.Unlock()
			close(done)
		}()
	}
	done := k.inflight
	k.mu.Unlock()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-done:
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys, k.fetchErr
}

func (k *keySet) fetch() ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.url, nil)
	if err != nil {
		return nil, err
	}
	res, err := k.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch key set: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("fetch key set: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch key set: status %d", res.StatusCode)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("key set: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, raw := range set.Keys {
		var key jose.JSONWebKey
		// RFC 7517 §5: ignore keys of a type or curve we do not understand.
		if err := json.Unmarshal(raw, &key); err != nil || !key.IsPublic() || !key.Valid() {
			continue
		}
		keys = append(keys, key)
	}
	return keys, nil
}
