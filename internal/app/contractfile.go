package app

import (
	"context"
	"io"

	"github.com/inburgering/portal/internal/domain"
)

// maxReportedProblems bounds the violations one refused file reports (the first ones, in order).
const maxReportedProblems = 200

// ContractFileRow is the result of one stored row.
type ContractFileRow struct {
	Row        int
	ContractID int64
}

// ImportContracts stores the contracts of a contract file of the acting school, streamed: each
// row is checked and stored as it is read, in one transaction. The file is all or nothing: with
// any bad row nothing is stored, and the error lists every problem (up to maxReportedProblems)
// with its row and field.
func (s *Service) ImportContracts(ctx context.Context, r io.Reader) ([]ContractFileRow, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return nil, err
	}
	return s.importContracts(ctx, p.SchoolID, r, nil)
}

// importContracts stores the contracts of schoolID's file r, all or nothing; finish, when set,
// runs in the same transaction after the last row (the background job stores its result there).
func (s *Service) importContracts(ctx context.Context, schoolID int64, r io.Reader, finish func(context.Context, []ContractFileRow) error) ([]ContractFileRow, error) {
	var err error
	var (
		out      []ContractFileRow
		problems []domain.Violation
	)
	now := s.Now().UTC()
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if b, ok := r.(interface{ bind(context.Context) }); ok {
			b.bind(ctx) // a stored file is read in this transaction (one connection on SQLite)
		}
		err := domain.ReadContractFile(r, func(l domain.ContractLine) error {
			if len(problems) >= maxReportedProblems {
				return nil // keep reading: a broken file later on is still reported
			}
			if len(l.Problems) > 0 {
				problems = append(problems, l.Problems...)
				return nil
			}
			i, err := s.people.InburgeraarByBSN(ctx, l.Contract.BSN)
			if domain.ErrorKind(err) == domain.KindNotFound {
				problems = append(problems, domain.Violation{Field: domain.RowField(l.Row, "bsn"), MessageID: "error.bsn_unknown"})
				return nil
			}
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				return nil // nothing will be stored: no need to write
			}
			c := l.Contract
			c.SchoolID, c.InburgeraarID, c.CreatedAt = schoolID, i.ID, now
			if err := s.declarations.CreateContract(ctx, &c); err != nil {
				return err
			}
			out = append(out, ContractFileRow{Row: l.Row, ContractID: c.ID})
			return nil
		})
		if de, ok := err.(*domain.Error); ok && de.Kind == domain.KindInvalid && len(problems) > 0 {
			return domain.Invalid(append(problems, de.Violations...)...)
		}
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return domain.Invalid(problems...) // rolls back whatever was written
		}
		if finish != nil {
			return finish(ctx, out)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
