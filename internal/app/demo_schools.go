package app

import (
	"context"

	"github.com/inburgering/portal/internal/auth"
	"github.com/inburgering/portal/internal/domain"
)

// DemoSchool is a seeded demo language school with its private keys. The keys are public in this
// source code: they exist for the demo and the README's curl example, never for production
// (SeedDemoSchools runs in demo mode only, like the personas).
type DemoSchool struct {
	ClientID, Name, BOW string
	KeurmerkUntil       domain.Date
	PrivateKeys         []string // JWKs; the first signs assertions, the others show rotation
	Scopes              []domain.Scope
}

// DemoSchools are the two seeded schools: one with two keys (rotation), one without the scope to
// answer verification requests.
var DemoSchools = []DemoSchool{
	{
		ClientID: "demo-taalschool-noord", Name: "Taalschool Noord (demo)", BOW: "900001",
		KeurmerkUntil: domain.NewDate(2030, 12, 31), Scopes: domain.AllScopes,
		PrivateKeys: []string{
			`{"use":"sig","kty":"EC","kid":"demo-a-2026","crv":"P-256","alg":"ES256","x":"M0_l0rptCAafTeI5t1XdjD0O1G3i4NCicMZDBOM93dE","y":"fC06CAczrKank2LSsIkOOMu414JA9kiPgxFS90oFQOk","d":"2g0zCRiEeC1j6DuYgAvSmY68a9nLJT2lQ9fKy_CMq34"}`,
			`{"use":"sig","kty":"EC","kid":"demo-a-2027","crv":"P-256","alg":"ES256","x":"5NeTayXM_7SCBNAX6e0l85OyF0vbQLB1c887tNi0EJw","y":"MW0rMIgLEku9MqNocADklD-g-1603RjCCyrcOjWKIZg","d":"OQNeN8sAogCCaosalDxXnAGgWOezJ8Zhu2IAUBKqS3Y"}`,
		},
	},
	{
		ClientID: "demo-taalschool-zuid", Name: "Taalschool Zuid (demo)", BOW: "900002",
		KeurmerkUntil: domain.NewDate(2030, 12, 31), Scopes: []domain.Scope{domain.ScopeDeclarationsWrite, domain.ScopeContractsWrite},
		PrivateKeys: []string{
			`{"use":"sig","kty":"EC","kid":"demo-b-2026","crv":"P-256","alg":"ES256","x":"u1M70ON0jjXt794_u8eoJ6vbbvSXYtZxh1TCHfGL91Q","y":"_ogXp55C2uaBpC7ELDZgOgKlhJVRP2K7L5aEqyCXTik","d":"ICz7XDTGnATRQ34M2M-S-A8uk5BQtOhv7RWJ9uMrbUc"}`,
		},
	},
}

// DemoSchoolByClientID returns the demo school with clientID.
func DemoSchoolByClientID(clientID string) (DemoSchool, bool) {
	for _, d := range DemoSchools {
		if d.ClientID == clientID {
			return d, true
		}
	}
	return DemoSchool{}, false
}

// School returns the registration of the demo school: its public keys only.
func (d DemoSchool) School() (domain.School, error) {
	jwks, err := auth.PublicJWKSOf(d.PrivateKeys...)
	if err != nil {
		return domain.School{}, err
	}
	return domain.School{ClientID: d.ClientID, Name: d.Name, BOWNumber: d.BOW, KeurmerkUntil: d.KeurmerkUntil, JWKS: jwks, Scopes: d.Scopes}, nil
}

// SeedDemoSchools registers the demo schools that are missing; it returns how many it created.
func (s *Service) SeedDemoSchools(ctx context.Context) (int, error) {
	n := 0
	for _, d := range DemoSchools {
		if _, err := s.schools.SchoolByClientID(ctx, d.ClientID); err == nil {
			continue
		} else if domain.ErrorKind(err) != domain.KindNotFound {
			return n, err
		}
		sc, err := d.School()
		if err != nil {
			return n, err
		}
		// Seeding is set-up, not an act of a person: like the personas, it is not audited.
		if err := sc.Validate(); err != nil {
			return n, err
		}
		sc.CreatedAt = s.Now().UTC()
		if err := s.schools.CreateSchool(ctx, &sc); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
