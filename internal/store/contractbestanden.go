package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/inburgering/portal/internal/app"
	"github.com/inburgering/portal/internal/domain"
)

var _ app.ContractFileStore = (*Store)(nil)

type contractFileRow struct {
	ID          int64 `gorm:"primaryKey"`
	SchoolID    int64
	Status      string
	Bytes       int64
	Aantal      *int
	Resultaat   *string
	OntvangenOp time.Time
	VerwerktOp  *time.Time
}

func (contractFileRow) TableName() string { return "contractbestanden" }

type contractFilePartRow struct {
	BestandID  int64 `gorm:"primaryKey"`
	Volgnummer int   `gorm:"primaryKey"`
	Inhoud     []byte
}

func (contractFilePartRow) TableName() string { return "contractbestand_delen" }

// contractFileResult is the stored outcome of a processed file.
type contractFileResult struct {
	Rows     []app.ContractFileRow `json:"regels,omitempty"`
	Problems []domain.Violation    `json:"fouten,omitempty"`
}

// CreateContractFile implements app.ContractFileStore.
func (s *Store) CreateContractFile(ctx context.Context, f *app.ContractFile) error {
	row := contractFileRow{SchoolID: f.SchoolID, Status: string(f.Status), Bytes: f.Bytes, OntvangenOp: f.ReceivedAt.UTC()}
	if err := s.q(ctx).Create(&row).Error; err != nil {
		return wrap(err, "")
	}
	f.ID = row.ID
	return nil
}

// AddContractFilePart implements app.ContractFileStore.
func (s *Store) AddContractFilePart(ctx context.Context, fileID int64, seq int, data []byte) error {
	return wrap(s.q(ctx).Create(&contractFilePartRow{BestandID: fileID, Volgnummer: seq, Inhoud: data}).Error, "")
}

// SetContractFileBytes implements app.ContractFileStore.
func (s *Store) SetContractFileBytes(ctx context.Context, fileID, n int64) error {
	return wrap(s.q(ctx).Model(&contractFileRow{}).Where("id = ?", fileID).Update("bytes", n).Error, "")
}

// ContractFile implements app.ContractFileStore.
func (s *Store) ContractFile(ctx context.Context, schoolID, id int64) (app.ContractFile, error) {
	q := s.q(ctx).Where("id = ?", id)
	if schoolID != 0 {
		q = q.Where("school_id = ?", schoolID)
	}
	var row contractFileRow
	if err := q.Take(&row).Error; err != nil {
		return app.ContractFile{}, wrap(err, "error.contract_file_not_found")
	}
	f := app.ContractFile{ID: row.ID, SchoolID: row.SchoolID, Status: app.ContractFileStatus(row.Status), Bytes: row.Bytes,
		ReceivedAt: row.OntvangenOp.UTC()}
	if row.VerwerktOp != nil {
		t := row.VerwerktOp.UTC()
		f.ProcessedAt = &t
	}
	if row.Resultaat != nil {
		var r contractFileResult
		if err := json.Unmarshal([]byte(*row.Resultaat), &r); err != nil {
			return app.ContractFile{}, wrap(err, "")
		}
		f.Rows, f.Problems = r.Rows, r.Problems
	}
	return f, nil
}

// ContractFilePart implements app.ContractFileStore.
func (s *Store) ContractFilePart(ctx context.Context, fileID int64, seq int) ([]byte, error) {
	var row contractFilePartRow
	if err := s.q(ctx).Where("bestand_id = ? AND volgnummer = ?", fileID, seq).Take(&row).Error; err != nil {
		return nil, wrap(err, "error.contract_file_not_found")
	}
	return row.Inhoud, nil
}

// FinishContractFile implements app.ContractFileStore: a compare-and-set on the status.
func (s *Store) FinishContractFile(ctx context.Context, f app.ContractFile) error {
	b, err := json.Marshal(contractFileResult{Rows: f.Rows, Problems: f.Problems})
	if err != nil {
		return err
	}
	res := string(b)
	n := len(f.Rows)
	var processed *time.Time
	if f.ProcessedAt != nil {
		t := f.ProcessedAt.UTC()
		processed = &t
	}
	upd := s.q(ctx).Model(&contractFileRow{}).Where("id = ? AND status = ?", f.ID, string(app.ContractFileReceived)).
		Updates(map[string]any{"status": string(f.Status), "aantal": n, "resultaat": res, "verwerkt_op": processed})
	if upd.Error != nil {
		return wrap(upd.Error, "")
	}
	if upd.RowsAffected == 0 {
		return domain.Errorf(domain.KindConflict, "error.conflict")
	}
	return wrap(s.q(ctx).Where("bestand_id = ?", f.ID).Delete(&contractFilePartRow{}).Error, "")
}
