package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

// SchoolStore is the storage port of the language schools as API clients (issue 10).
type SchoolStore interface {
	// CreateSchool stores a new school and sets its ID; a conflict when the client ID or the BOW
	// number is taken.
	CreateSchool(ctx context.Context, s *domain.School) error
	// Schools lists every registered school, revoked ones included, by client ID.
	Schools(ctx context.Context) ([]domain.School, error)
	// SchoolByClientID returns a school; not found when no school has the client ID.
	SchoolByClientID(ctx context.Context, clientID string) (domain.School, error)
	// RevokeSchool marks a school's client revoked at at; not found when it is unknown or revoked.
	RevokeSchool(ctx context.Context, clientID string, at time.Time) error
	// UseAssertion records the jti of a client assertion until it expires; a conflict when it
	// was used before (on any instance: the database decides).
	UseAssertion(ctx context.Context, clientID, jti string, expires time.Time) error
	// SweepAssertions forgets the jti's of assertions expired before now.
	SweepAssertions(ctx context.Context, now time.Time) error
}

// Audit actions of school registration.
const (
	AuditSchoolRegistered = "school_geregistreerd"
	AuditSchoolRevoked    = "school_ingetrokken"
)

// RegisterSchool registers a language school as an API client, on behalf of actor (a staff
// member's stable ID, or "cli" for the command line). The JWKS must hold public signing keys.
func (s *Service) RegisterSchool(ctx context.Context, actor string, sc domain.School) (domain.School, error) {
	if actor == "" {
		return sc, domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	err := sc.Validate()
	if _, jerr := auth.ParseJWKS(sc.JWKS); jerr != nil {
		if err == nil {
			err = jerr
		} else {
			err.(*domain.Error).Violations = append(err.(*domain.Error).Violations, jerr.(*domain.Error).Violations...)
		}
	}
	if err != nil {
		return sc, err
	}
	sc.CreatedAt = s.Now().UTC()
	sc.RevokedAt = nil
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.schools.CreateSchool(ctx, &sc); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: sc.CreatedAt, Actor: actor, Action: AuditSchoolRegistered, Subject: "school:" + sc.ClientID})
	})
	return sc, err
}

// Schools lists the registered schools.
func (s *Service) Schools(ctx context.Context) ([]domain.School, error) {
	return s.schools.Schools(ctx)
}

// RevokeSchool revokes a school's client: its access tokens stop working at once.
func (s *Service) RevokeSchool(ctx context.Context, actor, clientID string) error {
	if actor == "" {
		return domain.Errorf(domain.KindForbidden, "error.forbidden")
	}
	now := s.Now().UTC()
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.schools.RevokeSchool(ctx, clientID, now); err != nil {
			return err
		}
		return s.audit.AppendAudit(ctx, AuditEntry{At: now, Actor: actor, Action: AuditSchoolRevoked, Subject: "school:" + clientID})
	})
}

// SchoolToken is an access token issued to a school.
type SchoolToken struct {
	AccessToken string
	ExpiresIn   time.Duration
	Scopes      []domain.Scope
}

// TokenRequest is an OAuth2 client-credentials token request with private_key_jwt.
type TokenRequest struct {
	GrantType           string
	ClientAssertionType string
	ClientAssertion     string
	ClientID            string // optional; when given it must be the assertion's issuer
	Scope               string // space-separated; empty asks for every scope granted
}

// TokenEndpointPath is the path of the token endpoint, part of the audience of client assertions.
const TokenEndpointPath = "/v2/oauth2/token"

// IssueSchoolToken runs the client-credentials grant (RFC 6749 §4.4) with private_key_jwt
// client authentication (RFC 7523): the assertion is verified against the school's keys, its jti
// is spent (a replay is refused on every instance), the keurmerk must be valid today, and the
// scopes asked for must have been granted.
func (s *Service) IssueSchoolToken(ctx context.Context, r TokenRequest) (SchoolToken, error) {
	if r.GrantType != "client_credentials" {
		return SchoolToken{}, domain.Invalid(domain.Violation{Field: "grant_type", MessageID: "error.grant_type"})
	}
	if r.ClientAssertionType != auth.ClientAssertionType {
		return SchoolToken{}, domain.Invalid(domain.Violation{Field: "client_assertion_type", MessageID: "error.field_invalid"})
	}
	if s.SchoolTokens.Key == nil {
		return SchoolToken{}, domain.Errorf(domain.KindInternal, "error.internal")
	}
	clientID, err := auth.AssertionIssuer(r.ClientAssertion)
	if err != nil {
		return SchoolToken{}, err
	}
	if r.ClientID != "" && r.ClientID != clientID {
		return SchoolToken{}, domain.Errorf(domain.KindUnauthorized, "error.client_invalid")
	}
	sc, err := s.schools.SchoolByClientID(ctx, clientID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return SchoolToken{}, domain.Errorf(domain.KindUnauthorized, "error.client_invalid")
	}
	if err != nil {
		return SchoolToken{}, err
	}
	if !sc.Active() {
		return SchoolToken{}, domain.Errorf(domain.KindUnauthorized, "error.client_invalid")
	}
	jwks, err := auth.ParseJWKS(sc.JWKS)
	if err != nil {
		return SchoolToken{}, domain.Errorf(domain.KindUnauthorized, "error.client_invalid")
	}
	now := s.Now().UTC()
	audiences := []string{s.SchoolTokens.Issuer + TokenEndpointPath, s.SchoolTokens.Issuer}
	a, err := auth.VerifyAssertion(r.ClientAssertion, clientID, jwks, audiences, now)
	if err != nil {
		return SchoolToken{}, err
	}
	if !sc.KeurmerkValid(domain.Today(now)) {
		return SchoolToken{}, domain.Errorf(domain.KindForbidden, "error.keurmerk_invalid")
	}
	scopes := sc.Scopes
	if strings.TrimSpace(r.Scope) != "" {
		scopes = nil
		for _, f := range strings.Fields(r.Scope) {
			sco, ok := domain.ParseScope(f)
			if !ok || !sc.HasScope(sco) {
				return SchoolToken{}, domain.Invalid(domain.Violation{Field: "scope", MessageID: "error.scope_invalid"})
			}
			if !slices.Contains(scopes, sco) {
				scopes = append(scopes, sco)
			}
		}
	}
	if err := s.schools.UseAssertion(ctx, clientID, a.JTI, a.Expiry); err != nil {
		if domain.ErrorKind(err) == domain.KindConflict {
			return SchoolToken{}, domain.Errorf(domain.KindUnauthorized, "error.assertion_replayed")
		}
		return SchoolToken{}, err
	}
	tok, err := s.SchoolTokens.Sign(clientID, scopes, now)
	if err != nil {
		return SchoolToken{}, err
	}
	return SchoolToken{AccessToken: tok, ExpiresIn: auth.SchoolTokenLifetime, Scopes: scopes}, nil
}

// AuthenticateSchool turns a school access token into its principal. A token of a revoked school,
// or of a school whose keurmerk lapsed, no longer works.
func (s *Service) AuthenticateSchool(ctx context.Context, bearer string) (Principal, error) {
	now := s.Now().UTC()
	clientID, scopes, err := s.SchoolTokens.Verify(bearer, now)
	if err != nil {
		return Principal{}, err
	}
	sc, err := s.schools.SchoolByClientID(ctx, clientID)
	if domain.ErrorKind(err) == domain.KindNotFound || err == nil && !sc.Active() {
		return Principal{}, domain.Errorf(domain.KindUnauthorized, "error.token_invalid")
	}
	if err != nil {
		return Principal{}, err
	}
	if !sc.KeurmerkValid(domain.Today(now)) {
		return Principal{}, domain.Errorf(domain.KindForbidden, "error.keurmerk_invalid")
	}
	var granted []domain.Scope
	for _, sco := range scopes {
		if sc.HasScope(sco) { // a scope withdrawn since the token was issued no longer counts
			granted = append(granted, sco)
		}
	}
	return Principal{Kind: PrincipalSchool, SchoolID: sc.ID, ClientID: sc.ClientID, Scopes: granted}, nil
}

// SweepSchoolAssertions forgets the jti's of expired client assertions (they can no longer be
// replayed: an expired assertion is refused anyway).
func (s *Service) SweepSchoolAssertions(ctx context.Context) error {
	return s.schools.SweepAssertions(ctx, s.Now().UTC().Add(-auth.ClockSkew))
}
