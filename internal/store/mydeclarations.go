package store

import (
	"context"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

var _ app.OwnDeclarationStore = (*Store)(nil)

// DeclarationsOfInburgeraar implements app.OwnDeclarationStore.
func (s *Store) DeclarationsOfInburgeraar(ctx context.Context, inburgeraarID int64) ([]domain.Declaration, error) {
	var rows []declarationRow
	if err := s.q(ctx).Where("inburgeraar_id = ?", inburgeraarID).Order("periode_tot DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	return s.declarationsOf(ctx, rows)
}

// SchoolNames implements app.OwnDeclarationStore.
func (s *Store) SchoolNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []schoolRow
	if err := s.q(ctx).Select("id", "naam").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r.Naam
	}
	return out, nil
}
