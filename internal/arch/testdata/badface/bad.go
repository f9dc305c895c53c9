// Package badface breaks every rule the architecture test enforces, to prove it notices.
package badface

import (
	"context"

	"gorm.io/gorm"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/store"
)

var _ *gorm.DB

func peek(ctx context.Context, st *store.Store, p app.People) {
	_, _ = p.Inburgeraar(ctx, 1)
	_ = st
}

type sneaky struct{ Repo app.Storage }

func (s sneaky) reach(svc *app.Service) any { return s.Repo }
