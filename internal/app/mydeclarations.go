package app

import (
	"context"
	"errors"

	"github.com/inburgering/portal/internal/domain"
)

// MaxOwnDeclarations bounds the declarations the inburgeraar's hours overview lists (the newest);
// the totals always cover every declaration. A person has a few dozen at most in practice.
const MaxOwnDeclarations = 500

// OwnDeclarationStore is the storage port of the inburgeraar's own view of their declarations.
// The store implements it beside DeclarationStore.
type OwnDeclarationStore interface {
	// DeclarationsOfInburgeraar lists every declaration about inburgeraarID, newest first.
	DeclarationsOfInburgeraar(ctx context.Context, inburgeraarID int64) ([]domain.Declaration, error)
	// SchoolNames returns the name of each school id (revoked schools included).
	SchoolNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// SchoolTotal is one school's hours in the inburgeraar's overview.
type SchoolTotal struct {
	domain.SchoolHours
	Name string
}

// HoursOverview is what the inburgeraar sees of their hour declarations (issue 10 §4): each
// declaration with its status, the hours per school and, on Wi2013, the way to the AGI exemption.
type HoursOverview struct {
	Regime       domain.Regime
	Today        domain.Date
	Declarations []domain.Declaration // newest first, at most MaxOwnDeclarations
	SchoolNames  map[int64]string
	PerSchool    []SchoolTotal
	Accepted     int                 // accepted hours over all schools
	AGI          *domain.AGIProgress // Wi2013 only
}

var errNoOwnDeclarationStore = errors.New("app: the store cannot list an inburgeraar's declarations")

// HoursOverview computes inburgeraar id's hours overview. It reads only: nothing is written or
// audited (the person reads their own data).
func (s *Service) HoursOverview(ctx context.Context, id int64) (HoursOverview, error) {
	st, ok := s.declarations.(OwnDeclarationStore)
	if !ok {
		return HoursOverview{}, errNoOwnDeclarationStore
	}
	o, err := s.Overview(ctx, id)
	if err != nil {
		return HoursOverview{}, err
	}
	list, err := st.DeclarationsOfInburgeraar(ctx, id)
	if err != nil {
		return HoursOverview{}, err
	}
	per, accepted := domain.HoursPerSchool(list)
	ids := make([]int64, len(per))
	for i, p := range per {
		ids[i] = p.SchoolID
	}
	names, err := st.SchoolNames(ctx, ids)
	if err != nil {
		return HoursOverview{}, err
	}
	h := HoursOverview{Regime: o.Regime, Today: o.Today, SchoolNames: names, Accepted: accepted, Declarations: list}
	if len(h.Declarations) > MaxOwnDeclarations {
		h.Declarations = h.Declarations[:MaxOwnDeclarations]
	}
	for _, p := range per {
		h.PerSchool = append(h.PerSchool, SchoolTotal{SchoolHours: p, Name: names[p.SchoolID]})
	}
	if g, ok := domain.ComputeAGIProgress(o.Regime, o.Term.Start, accepted, o.Today, s.Policies.At(o.Today)); ok {
		h.AGI = &g
	}
	return h, nil
}
