package auth

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/hashicorp/golang-lru/v2/expirable"
	"golang.org/x/oauth2"

	"github.com/inburgering/portal/internal/domain"
)

// OIDCConfig configures login through an OpenID Connect provider (in production a DigiD broker
// for inburgeraars and the DUO identity provider for staff).
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	RedirectURL  string // BASE_URL + /auth/callback
	BSNClaim     string // claim that carries the BSN (default "bsn")
	RolesClaim   string // claim that carries staff roles (default "roles")

	// APIAudience, when set, is the audience (differing from ClientID) of access tokens meant for
	// the API; tokens carrying it are accepted without the RFC 9068 "at+jwt" type.
	APIAudience string
	// AcceptPlainJWT also accepts plain signed JWTs for ClientID as access tokens, for brokers
	// that issue neither "at+jwt" nor an API audience. Risky: see README.md.
	AcceptPlainJWT bool
	// SessionKey is the root key from which the key that seals the ID token at rest (the logout
	// hint) is derived. Without it no logout hint is kept.
	SessionKey []byte
	// KeyRefresh is the shortest interval between two fetches of the provider's key set
	// (DefaultKeyRefresh when zero).
	KeyRefresh time.Duration
}

// Identity is what a login or a bearer token proves.
type Identity struct {
	Subject string
	BSN     string // empty for staff
	Name    string
	Roles   []string
	// Scope is the access token's OAuth2 scope claim (space-separated; "scp" as a list is joined),
	// empty for ID tokens that carry none.
	Scope string
	// LogoutHint is the ID token sealed under a key derived for this purpose, kept for
	// RP-initiated logout. Empty when the provider advertises no end_session_endpoint: then the
	// token, which carries the BSN, is not kept at all.
	LogoutHint string
}

// HasRole reports whether the identity carries role.
func (i Identity) HasRole(role string) bool { return slices.Contains(i.Roles, role) }

// userinfo caching: a token without a BSN claim costs one userinfo call per minute at most.
const (
	userinfoTTL     = time.Minute
	userinfoEntries = 4096
)

type userinfoEntry struct {
	subject, bsn string
	expires      time.Time // the token's expiry: never serve an answer for an expired token
}

// OIDC is the relying party: authorization code flow with PKCE (S256), nonce and state.
type OIDC struct {
	cfg         OIDCConfig
	provider    *oidc.Provider
	oauth       oauth2.Config
	keys        *keySet
	verifier    *oidc.IDTokenVerifier // ID tokens: audience ClientID
	apiVerifier *oidc.IDTokenVerifier // access tokens: audience APIAudience, else ClientID
	endSession  string                // the provider's end_session_endpoint, if any
	hintSealer  *Sealer               // nil: no logout hint is kept
	userinfo    *expirable.LRU[string, userinfoEntry]
}

// NewOIDC discovers the provider at cfg.Issuer.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.BSNClaim == "" {
		cfg.BSNClaim = "bsn"
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = "roles"
	}
	if cfg.APIAudience != "" && cfg.APIAudience == cfg.ClientID {
		return nil, errors.New("the API audience must differ from the client ID")
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		Issuer     string   `json:"issuer"`
		JWKS       string   `json:"jwks_uri"`
		EndSession string   `json:"end_session_endpoint"`
		Algs       []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", cfg.Issuer, err)
	}
	if meta.EndSession != "" {
		if u, err := url.Parse(meta.EndSession); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("oidc discovery at %s: end_session_endpoint %q is not a URL", cfg.Issuer, meta.EndSession)
		}
	}
	var algs []string // what the provider signs with and we accept
	for _, a := range meta.Algs {
		if slices.Contains(signingAlgs, jose.SignatureAlgorithm(a)) {
			algs = append(algs, a)
		}
	}
	if len(algs) == 0 {
		algs = []string{oidc.RS256}
	}
	keys := newKeySet(meta.JWKS, cfg.KeyRefresh)
	o := &OIDC{
		cfg:      cfg,
		provider: p,
		keys:     keys,
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"},
		},
		verifier:    oidc.NewVerifier(meta.Issuer, keys, &oidc.Config{ClientID: cfg.ClientID, SupportedSigningAlgs: algs}),
		apiVerifier: oidc.NewVerifier(meta.Issuer, keys, &oidc.Config{ClientID: cmp.Or(cfg.APIAudience, cfg.ClientID), SupportedSigningAlgs: algs}),
		userinfo:    expirable.NewLRU[string, userinfoEntry](userinfoEntries, nil, userinfoTTL),
	}
	if len(cfg.SessionKey) > 0 && meta.EndSession != "" {
		o.endSession = meta.EndSession
		o.hintSealer = NewSealerFor(cfg.SessionKey, PurposeIDToken)
	}
	return o, nil
}

// Flow is the per-login secret state kept in a sealed cookie between redirect and callback.
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Staff    bool   `json:"t"`
	Lang     string `json:"l"`
	Expires  int64  `json:"e"`
	Return   string `json:"r,omitempty"` // the page to return to after logging in (portal/session.go)
}

// AuthCodeURL returns the provider's authorization URL for flow.
func (o *OIDC) AuthCodeURL(f Flow) string {
	return o.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
}

// Exchange redeems the authorization code and verifies the ID token (signature, issuer, audience,
// expiry, nonce).
func (o *OIDC) Exchange(ctx context.Context, code string, f Flow) (Identity, error) {
	tok, err := o.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: errors.New("no id_token")}
	}
	if _, err := parseJWT(raw); err != nil {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	idt, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	if idt.Nonce != f.Nonce {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: errors.New("nonce mismatch")}
	}
	id, err := o.identity(idt)
	if err != nil {
		return Identity{}, err
	}
	if o.hintSealer != nil {
		if id.LogoutHint, err = o.hintSealer.Seal(raw); err != nil {
			return Identity{}, err
		}
	}
	if id.BSN == "" && !f.Staff {
		// Some brokers put the BSN only in userinfo.
		// OIDC Core 5.3.2: userinfo of another subject than the ID token's must not be used.
		if info, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && info.Subject == id.Subject {
			id.BSN = o.claimString(info.Claims)
		}
	}
	return id, nil
}

// VerifyBearer verifies an access token issued by the provider for the API and returns who it
// belongs to. The BSN comes from the token's claim or, failing that, userinfo (cached briefly).
//
// A token is refused without any network call when it is not a well-formed signed JWT; the key
// set is fetched at most once per interval (see keySet). Only access tokens are accepted: the
// RFC 9068 type "at+jwt", or the configured API audience, or (only when configured) a plain JWT
// for the client that does not look like an ID token.
func (o *OIDC) VerifyBearer(ctx context.Context, token string) (Identity, error) {
	invalid := func(err error) (Identity, error) {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.token_invalid", Err: err}
	}
	hdr, err := parseJWT(token)
	if err != nil {
		return invalid(err)
	}
	idt, err := o.apiVerifier.Verify(ctx, token)
	if err != nil {
		return invalid(err)
	}
	// The header was parsed before the signature was checked; the signature covers it.
	if err := o.accessToken(hdr, idt); err != nil {
		return invalid(err)
	}
	id, err := o.identity(idt)
	if err != nil {
		return Identity{}, err
	}
	if id.BSN != "" || id.HasRole(RoleStaff) {
		return id, nil // staff have no BSN: no userinfo call
	}
	sum := sha256.Sum256([]byte(token))
	key := hex.EncodeToString(sum[:])
	if e, ok := o.userinfo.Get(key); ok && time.Now().Before(e.expires) {
		if e.subject != id.Subject {
			return invalid(errors.New("userinfo subject differs from the token's"))
		}
		id.BSN = e.bsn
		return id, nil
	}
	info, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}))
	if err != nil {
		return invalid(err)
	}
	o.userinfo.Add(key, userinfoEntry{subject: info.Subject, bsn: o.claimString(info.Claims), expires: idt.Expiry})
	if info.Subject != id.Subject {
		return invalid(errors.New("userinfo subject differs from the token's"))
	}
	id.BSN = o.claimString(info.Claims)
	return id, nil
}

// accessToken decides whether a verified token is an access token meant for the API.
func (o *OIDC) accessToken(hdr jwtHeader, idt *oidc.IDToken) error {
	// A nonce or an access-token hash appears only in ID tokens: never an access token.
	if idt.Nonce != "" || idt.AccessTokenHash != "" {
		return errors.New("an ID token is not an access token")
	}
	switch typ := strings.ToLower(hdr.Typ); {
	case typ == "at+jwt" || typ == "application/at+jwt":
		return nil // RFC 9068; apiVerifier checked the audience
	case o.cfg.APIAudience != "":
		return nil // apiVerifier checked the API audience, which is not the client ID
	case o.cfg.AcceptPlainJWT:
		return nil
	default:
		return fmt.Errorf("token type %q is not at+jwt and no API audience is configured", hdr.Typ)
	}
}

// EndSessionURL returns where to send the browser for RP-initiated logout (OpenID Connect
// RP-Initiated Logout 1.0), with the sealed ID token opened as id_token_hint. ok is false when
// the provider offers no end_session_endpoint or the hint does not open: logout is then local.
func (o *OIDC) EndSessionURL(hint, postLogoutRedirect, lang string) (string, bool) {
	if o.endSession == "" || o.hintSealer == nil || hint == "" {
		return "", false
	}
	var raw string
	if err := o.hintSealer.Open(hint, &raw); err != nil || raw == "" {
		return "", false
	}
	u, err := url.Parse(o.endSession)
	if err != nil {
		return "", false
	}
	q := u.Query()
	q.Set("id_token_hint", raw)
	q.Set("client_id", o.cfg.ClientID)
	q.Set("post_logout_redirect_uri", postLogoutRedirect)
	if lang != "" {
		q.Set("ui_locales", lang)
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}

// EndSessionOrigin is the scheme and host of the provider's end_session_endpoint ("" when there
// is none), for the CSP form-action that the logout form's redirect must pass.
func (o *OIDC) EndSessionOrigin() string {
	if o == nil || o.endSession == "" {
		return ""
	}
	u, err := url.Parse(o.endSession)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func (o *OIDC) identity(idt *oidc.IDToken) (Identity, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.login_failed", Err: err}
	}
	id := Identity{Subject: idt.Subject}
	if v, ok := claims[o.cfg.BSNClaim].(string); ok {
		id.BSN = v
	}
	if v, ok := claims["name"].(string); ok {
		id.Name = v
	}
	switch v := claims[o.cfg.RolesClaim].(type) {
	case []any:
		for _, r := range v {
			if s, ok := r.(string); ok {
				id.Roles = append(id.Roles, s)
			}
		}
	case string:
		id.Roles = []string{v}
	}
	switch v := claims["scope"].(type) {
	case string:
		id.Scope = v
	case []any:
		for _, sc := range v {
			if s, ok := sc.(string); ok {
				id.Scope += " " + s
			}
		}
	}
	if id.Scope == "" {
		if v, ok := claims["scp"].([]any); ok {
			for _, sc := range v {
				if s, ok := sc.(string); ok {
					id.Scope += " " + s
				}
			}
		}
	}
	return id, nil
}

func (o *OIDC) claimString(claims func(any) error) string {
	var m map[string]any
	if claims(&m) != nil {
		return ""
	}
	s, _ := m[o.cfg.BSNClaim].(string)
	return s
}
