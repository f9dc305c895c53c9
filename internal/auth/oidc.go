package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/coreos/go-oidc/v3/oidc"
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
}

// Identity is what a login or a bearer token proves.
type Identity struct {
	Subject string
	BSN     string // empty for staff
	Name    string
	Roles   []string
	IDToken string // raw ID token, kept as logout hint
}

// HasRole reports whether the identity carries role.
func (i Identity) HasRole(role string) bool { return slices.Contains(i.Roles, role) }

// OIDC is the relying party: authorization code flow with PKCE (S256), nonce and state.
type OIDC struct {
	cfg      OIDCConfig
	provider *oidc.Provider
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// NewOIDC discovers the provider at cfg.Issuer.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	if cfg.BSNClaim == "" {
		cfg.BSNClaim = "bsn"
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = "roles"
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", cfg.Issuer, err)
	}
	return &OIDC{
		cfg:      cfg,
		provider: p,
		oauth: oauth2.Config{
			ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"},
		},
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
	}, nil
}

// Flow is the per-login secret state kept in a sealed cookie between redirect and callback.
type Flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Staff    bool   `json:"t"`
	Lang     string `json:"l"`
	Expires  int64  `json:"e"`
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
	id.IDToken = raw
	if id.BSN == "" && !f.Staff {
		// Some brokers put the BSN only in userinfo.
		// OIDC Core 5.3.2: userinfo of another subject than the ID token's must not be used.
		if info, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil && info.Subject == id.Subject {
			id.BSN = o.claimString(info.Claims)
		}
	}
	return id, nil
}

// VerifyBearer verifies an access token issued by the provider (a signed JWT for this client)
// and returns who it belongs to. The BSN comes from the token's claim or, failing that, userinfo.
func (o *OIDC) VerifyBearer(ctx context.Context, token string) (Identity, error) {
	idt, err := o.verifier.Verify(ctx, token)
	if err != nil {
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.token_invalid", Err: err}
	}
	if idt.Nonce != "" {
		// An ID token proves a login to the portal; it is not an access token for the API.
		return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.token_invalid", Err: errors.New("an ID token is not an access token")}
	}
	id, err := o.identity(idt)
	if err != nil {
		return Identity{}, err
	}
	if id.BSN == "" {
		info, err := o.provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, TokenType: "Bearer"}))
		if err != nil {
			return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.token_invalid", Err: err}
		}
		if info.Subject != id.Subject {
			return Identity{}, &domain.Error{Kind: domain.KindUnauthorized, MessageID: "error.token_invalid", Err: errors.New("userinfo subject differs from the token's")}
		}
		id.BSN = o.claimString(info.Claims)
	}
	return id, nil
}

// EndSessionURL is not advertised by every provider; logout is local when it is missing.
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
