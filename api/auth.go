package api

import (
	"context"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

// maxTokenLength bounds what we look at in an Authorization header.
const maxTokenLength = auth.MaxTokenLength

// BearerAuth accepts the access tokens of language schools (issued by POST /v2/oauth2/token),
// demo tokens (issued by POST /v2/demo-tokens, stored hashed: an inburgeraar persona's, or the
// demo staff member's with both staff scopes) and, when an OpenID Connect provider is configured,
// the provider's access tokens: a token whose roles claim holds duo-medewerker is a staff
// principal (its stable ID the subject, its scopes the token's scope claim intersected with the
// staff scopes), any other token's BSN must belong to a known inburgeraar.
func BearerAuth(sessions auth.SessionStore, oidc *auth.OIDC, svc *app.Service) Authenticator {
	return func(ctx context.Context, bearer string) (context.Context, error) {
		if len(bearer) > maxTokenLength {
			return nil, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
		}
		if len(bearer) == 43 { // our own opaque tokens: 32 random bytes, base64url
			id, err := sessions.APITokenOwner(ctx, auth.Hash(bearer), svc.Now())
			if err == nil {
				return withProfileLanguage(WithInburgeraar(ctx, id), svc, id), nil
			}
			if domain.ErrorKind(err) != domain.KindNotFound {
				return nil, err
			}
			staff, scopes, err := sessions.StaffAPITokenOwner(ctx, auth.Hash(bearer), svc.Now())
			if err == nil {
				return app.WithPrincipal(ctx, app.StaffPrincipal(staff, scopes...)), nil
			}
			if domain.ErrorKind(err) != domain.KindNotFound {
				return nil, err
			}
		}
		if auth.IsSchoolToken(bearer) { // our own access tokens of language schools (private_key_jwt)
			p, err := svc.AuthenticateSchool(ctx, bearer)
			if err != nil {
				return nil, err
			}
			return app.WithPrincipal(ctx, p), nil
		}
		if oidc == nil {
			return nil, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
		}
		identity, err := oidc.VerifyBearer(ctx, bearer)
		if err != nil {
			return nil, err
		}
		if identity.HasRole(auth.RoleStaff) {
			if identity.Subject == "" {
				return nil, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
			}
			return app.WithPrincipal(ctx, app.StaffPrincipal(identity.Subject, domain.StaffScopesOf(identity.Scope)...)), nil
		}
		i, err := svc.BSNLogin(ctx, identity.BSN)
		if err != nil {
			if domain.ErrorKind(err) == domain.KindNotFound {
				return nil, &domain.Error{Kind: domain.KindForbidden, MessageID: "error.no_obligation", Err: err}
			}
			return nil, err
		}
		return withProfileLanguage(WithInburgeraar(ctx, i.ID), svc, i.ID), nil
	}
}

type profileLanguageKey struct{}

// withProfileLanguage puts a lookup of the caller's profile language in ctx: an error after
// authentication answers in it when the request has no Accept-Language, as a 200 does. The
// lookup runs only when asked for.
func withProfileLanguage(ctx context.Context, svc *app.Service, id int64) context.Context {
	return context.WithValue(ctx, profileLanguageKey{}, func() string {
		p, err := svc.Profile(ctx, id)
		if err != nil {
			return ""
		}
		return p.PreferredLanguage
	})
}

// profileLanguage returns the caller's profile language, or "" when unknown.
func profileLanguage(ctx context.Context) string {
	if f, ok := ctx.Value(profileLanguageKey{}).(func() string); ok {
		return f()
	}
	return ""
}
