package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/inburgering/portal/internal/domain"
)

// PurposeSchoolAccessToken derives, from SESSION_KEY, the key that signs the access tokens of
// language schools: every instance with the same SESSION_KEY signs and verifies alike.
const PurposeSchoolAccessToken = "school-access-token"

// ClientAssertionType is the client_assertion_type of private_key_jwt (RFC 7523 §2.2).
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Limits on client assertions: how long one may live at most (so that the jti's kept against
// replay are bounded) and the clock skew allowed.
const (
	MaxAssertionLifetime = 5 * time.Minute
	ClockSkew            = 30 * time.Second
	// SchoolTokenLifetime is how long an access token of a school is valid.
	SchoolTokenLifetime = 5 * time.Minute
)

// assertionAlgorithms are the signature algorithms accepted on client assertions: asymmetric
// only (a JWKS holds public keys), never "none" or HMAC.
var assertionAlgorithms = []jose.SignatureAlgorithm{jose.ES256, jose.ES384, jose.ES512, jose.RS256, jose.PS256, jose.EdDSA}

// ParseJWKS reads a JWK Set of public signing keys. It refuses private keys, symmetric keys and an
// empty set, so that what is stored can only ever verify.
func ParseJWKS(raw []byte) (jose.JSONWebKeySet, error) {
	bad := domain.Invalid(domain.Violation{Field: "jwks", MessageID: "error.school_jwks"})
	var set jose.JSONWebKeySet
	if len(raw) == 0 || len(raw) > 65536 || json.Unmarshal(raw, &set) != nil || len(set.Keys) == 0 || len(set.Keys) > 10 {
		return set, bad
	}
	for _, k := range set.Keys {
		if !k.Valid() || !k.IsPublic() || (k.Use != "" && k.Use != "sig") {
			return set, bad
		}
		switch k.Key.(type) {
		case *ecdsa.PublicKey, *rsa.PublicKey, ed25519.PublicKey:
		default:
			return set, bad
		}
	}
	return set, nil
}

// Assertion is what a verified client assertion tells.
type Assertion struct {
	ClientID string
	JTI      string
	Expiry   time.Time
}

func invalidClient() error { return domain.Errorf(domain.KindUnauthorized, "error.client_invalid") }

// AssertionIssuer reads, without verifying, the client an assertion claims to come from (iss), to
// know which keys verify it. Anything unreadable is an invalid client.
func AssertionIssuer(assertion string) (string, error) {
	if len(assertion) > MaxTokenLength {
		return "", invalidClient()
	}
	tok, err := jwt.ParseSigned(assertion, assertionAlgorithms)
	if err != nil {
		return "", invalidClient()
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil || c.Issuer == "" {
		return "", invalidClient()
	}
	return c.Issuer, nil
}

// VerifyAssertion checks a private_key_jwt client assertion (RFC 7523 §3): signed by one of the
// keys in jwks, iss and sub the client, aud one of audiences, not expired, living at most
// MaxAssertionLifetime, and carrying a jti. Replay of the jti is the caller's check.
func VerifyAssertion(assertion, clientID string, jwks jose.JSONWebKeySet, audiences []string, now time.Time) (Assertion, error) {
	tok, err := jwt.ParseSigned(assertion, assertionAlgorithms)
	if err != nil || len(tok.Headers) != 1 {
		return Assertion{}, invalidClient()
	}
	keys := jwks.Keys
	if kid := tok.Headers[0].KeyID; kid != "" {
		keys = jwks.Key(kid)
	}
	var c jwt.Claims
	verified := false
	for _, k := range keys {
		if err := tok.Claims(k.Key, &c); err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return Assertion{}, invalidClient()
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: clientID, Subject: clientID, AnyAudience: audiences, Time: now}, ClockSkew); err != nil {
		if err == jwt.ErrExpired {
			return Assertion{}, domain.Errorf(domain.KindUnauthorized, "error.assertion_expired")
		}
		return Assertion{}, invalidClient()
	}
	if c.Expiry == nil || c.ID == "" || len(c.ID) > 200 || c.Expiry.Time().After(now.Add(MaxAssertionLifetime+ClockSkew)) {
		return Assertion{}, invalidClient()
	}
	return Assertion{ClientID: clientID, JTI: c.ID, Expiry: c.Expiry.Time()}, nil
}

// SchoolTokens signs and verifies the access tokens of language schools (RFC 9068 JWTs, HS256
// with a key derived from SESSION_KEY).
type SchoolTokens struct {
	Key    []byte // from DeriveKey(sessionKey, PurposeSchoolAccessToken)
	Issuer string // BASE_URL
}

// accessClaims are the claims of a school access token.
type accessClaims struct {
	jwt.Claims
	ClientID string `json:"client_id"`
	Scope    string `json:"scope"`
}

const accessTokenType = "at+jwt"

// Audience is the audience of school access tokens: this service's API.
func (t SchoolTokens) Audience() string { return t.Issuer + "/v2" }

// Sign issues an access token for clientID with scopes, valid SchoolTokenLifetime from now.
func (t SchoolTokens) Sign(clientID string, scopes []domain.Scope, now time.Time) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: t.Key}, (&jose.SignerOptions{}).WithType(accessTokenType))
	if err != nil {
		return "", err
	}
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	c := accessClaims{
		Claims: jwt.Claims{
			Issuer: t.Issuer, Subject: clientID, Audience: jwt.Audience{t.Audience()},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
			Expiry: jwt.NewNumericDate(now.Add(SchoolTokenLifetime)), ID: NewID(),
		},
		ClientID: clientID, Scope: strings.Join(s, " "),
	}
	return jwt.Signed(signer).Claims(c).Serialize()
}

// IsSchoolToken reports whether bearer looks like one of our school access tokens (a JWT of type
// at+jwt signed with HS256), without verifying it; other bearer tokens go elsewhere.
func IsSchoolToken(bearer string) bool {
	if strings.Count(bearer, ".") != 2 || len(bearer) > MaxTokenLength {
		return false
	}
	tok, err := jwt.ParseSigned(bearer, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil || len(tok.Headers) != 1 {
		return false
	}
	typ, _ := tok.Headers[0].ExtraHeaders[jose.HeaderType].(string)
	return strings.EqualFold(typ, accessTokenType)
}

// Verify checks a school access token and returns its client and scopes. An expired token has
// its own message.
func (t SchoolTokens) Verify(bearer string, now time.Time) (clientID string, scopes []domain.Scope, err error) {
	bad := domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	tok, perr := jwt.ParseSigned(bearer, []jose.SignatureAlgorithm{jose.HS256})
	if perr != nil {
		return "", nil, bad
	}
	var c accessClaims
	if err := tok.Claims(t.Key, &c); err != nil {
		return "", nil, bad
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: t.Issuer, AnyAudience: jwt.Audience{t.Audience()}, Time: now}, 0); err != nil {
		if err == jwt.ErrExpired {
			return "", nil, domain.Errorf(domain.KindUnauthorized, "error.token_expired")
		}
		return "", nil, bad
	}
	if c.Subject == "" || c.Subject != c.ClientID || c.Expiry == nil {
		return "", nil, bad
	}
	for _, s := range strings.Fields(c.Scope) {
		if sc, ok := domain.ParseScope(s); ok {
			scopes = append(scopes, sc)
		}
	}
	return c.Subject, scopes, nil
}

// ParsePrivateJWK reads one private signing key (a JWK), for a school's own side: the demo
// schools and the `client assertion` subcommand.
func ParsePrivateJWK(raw []byte) (jose.JSONWebKey, error) {
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil || k.IsPublic() || !k.Valid() {
		return k, domain.Invalid(domain.Violation{Field: "jwk", MessageID: "error.school_jwks"})
	}
	return k, nil
}

// PublicJWKS returns the JWK Set of the public halves of private keys.
func PublicJWKS(private ...jose.JSONWebKey) ([]byte, error) {
	set := jose.JSONWebKeySet{}
	for _, k := range private {
		set.Keys = append(set.Keys, k.Public())
	}
	return json.Marshal(set)
}

// SignAssertion signs a client assertion (RFC 7523) as client clientID for audience with key,
// valid for lifetime from now, with a fresh jti: what a school's software does before asking for
// a token.
func SignAssertion(key jose.JSONWebKey, clientID, audience string, now time.Time, lifetime time.Duration) (string, error) {
	alg := jose.SignatureAlgorithm(key.Algorithm)
	if alg == "" {
		alg = jose.ES256
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	c := jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{audience}, ID: NewID(),
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(lifetime)),
	}
	return jwt.Signed(signer).Claims(c).Serialize()
}

// PublicJWKSOf returns the JWK Set of the public halves of private JWKs given as JSON.
func PublicJWKSOf(private ...string) ([]byte, error) {
	var keys []jose.JSONWebKey
	for _, raw := range private {
		k, err := ParsePrivateJWK([]byte(raw))
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return PublicJWKS(keys...)
}
