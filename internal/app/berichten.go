package app

import (
	"context"

	"github.com/inburgering/portal/internal/domain"
)

// MaxPageSize bounds every list.
const MaxPageSize = 100

// BerichtenPage is one page of the inbox, newest first.
type BerichtenPage struct {
	Berichten []domain.Bericht
	Next      *BerichtCursor // nil on the last page
}

// Berichten lists the inbox of inburgeraar id, newest first, limit per page (1..MaxPageSize).
func (s *Service) Berichten(ctx context.Context, id int64, after *BerichtCursor, limit int) (BerichtenPage, error) {
	if limit < 1 || limit > MaxPageSize {
		return BerichtenPage{}, domain.Invalid(domain.Violation{Field: "limit", MessageID: "error.limit_range", Params: map[string]any{"Max": MaxPageSize}})
	}
	list, err := s.messages.Berichten(ctx, id, after, limit+1)
	if err != nil {
		return BerichtenPage{}, err
	}
	var p BerichtenPage
	if len(list) > limit {
		list = list[:limit]
		last := list[len(list)-1]
		p.Next = &BerichtCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	p.Berichten = list
	return p, nil
}

// Bericht returns one message of inburgeraar id.
func (s *Service) Bericht(ctx context.Context, id, berichtID int64) (domain.Bericht, error) {
	return s.messages.Bericht(ctx, id, berichtID)
}

// SetBerichtRead marks one message read or unread and returns it as stored.
func (s *Service) SetBerichtRead(ctx context.Context, id, berichtID int64, read bool) (domain.Bericht, error) {
	var out domain.Bericht
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		b, err := s.messages.Bericht(ctx, id, berichtID)
		if err != nil {
			return err
		}
		if b.Read() != read {
			var at = s.Now().UTC()
			atp := &at
			if !read {
				atp = nil
			}
			if err := s.messages.SetBerichtRead(ctx, id, berichtID, atp); err != nil {
				return err
			}
			b.ReadAt = atp
		}
		out = b
		return nil
	})
	return out, err
}

// Post delivers a message to inburgeraar id's inbox. Later capabilities (hearings, evidence
// requests, consent) post through here; called with the ctx of their InTx, the message is part
// of their transaction.
func (s *Service) Post(ctx context.Context, id int64, kind domain.BerichtKind, params map[string]string) (domain.Bericht, error) {
	if params == nil {
		params = map[string]string{}
	}
	b := domain.Bericht{InburgeraarID: id, Kind: kind, Params: params, CreatedAt: s.Now().UTC()}
	if err := s.addBericht(ctx, &b); err != nil {
		return domain.Bericht{}, err
	}
	return b, nil
}
