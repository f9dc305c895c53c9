package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/inburgering/portal/internal/domain"
)

// A contract file larger than ContractFileAsyncThreshold (or one sent with Prefer: respond-async)
// is processed in the background: it is streamed into the database in parts of
// ContractFilePartBytes, a job reads it back part by part and parses it as it goes. Only the
// first ContractFileAsyncThreshold bytes are held in memory, to decide.
const (
	ContractFileAsyncThreshold = 1 << 20
	ContractFilePartBytes      = 256 << 10
	// KindContractFile is the job that processes a stored contract file.
	KindContractFile = "contractbestand.verwerken"
)

// ContractFileStatus is where a background contract file is.
type ContractFileStatus string

const (
	ContractFileReceived  ContractFileStatus = "ontvangen" // stored, waiting for or in processing
	ContractFileProcessed ContractFileStatus = "verwerkt"  // every row stored as a contract
	ContractFileRefused   ContractFileStatus = "geweigerd" // refused: nothing stored, Problems says why
)

// ContractFile is a contract file processed in the background and its outcome.
type ContractFile struct {
	ID          int64
	SchoolID    int64
	Status      ContractFileStatus
	Bytes       int64
	Rows        []ContractFileRow  // when processed
	Problems    []domain.Violation // when refused, with row and field
	ReceivedAt  time.Time
	ProcessedAt *time.Time
}

// ContractFileStore is the storage port of background contract files.
type ContractFileStore interface {
	CreateContractFile(ctx context.Context, f *ContractFile) error
	AddContractFilePart(ctx context.Context, fileID int64, seq int, data []byte) error
	SetContractFileBytes(ctx context.Context, fileID, n int64) error
	// ContractFile returns one file; schoolID 0 means any school's (the job).
	ContractFile(ctx context.Context, schoolID, id int64) (ContractFile, error)
	// ContractFilePart returns part seq (from 0); not found past the last.
	ContractFilePart(ctx context.Context, fileID int64, seq int) ([]byte, error)
	// FinishContractFile stores f's status, result and time when the stored status is still
	// received (a conflict otherwise), and drops the parts.
	FinishContractFile(ctx context.Context, f ContractFile) error
}

var errNoContractFileStore = errors.New("app: the store cannot keep contract files")

func (s *Service) contractFiles() (ContractFileStore, error) {
	st, ok := s.declarations.(ContractFileStore)
	if !ok {
		return nil, errNoContractFileStore
	}
	return st, nil
}

// ContractFileJob is the args of KindContractFile: the id only.
type ContractFileJob struct {
	FileID int64 `json:"contractbestandId"`
}

// SubmitContractFile takes a contract file of the acting school: a small one is imported at
// once (rows, nil file); a large one, or any when async, is stored and queued (nil rows, the file).
func (s *Service) SubmitContractFile(ctx context.Context, r io.Reader, async bool) ([]ContractFileRow, *ContractFile, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return nil, nil, err
	}
	head, err := io.ReadAll(io.LimitReader(r, ContractFileAsyncThreshold+1))
	if err != nil {
		return nil, nil, err
	}
	if !async && len(head) <= ContractFileAsyncThreshold {
		rows, err := s.ImportContracts(ctx, bytes.NewReader(head))
		return rows, nil, err
	}
	f, err := s.storeContractFile(ctx, p.SchoolID, io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		return nil, nil, err
	}
	return nil, &f, nil
}

// storeContractFile streams r into parts, in one transaction with the job that processes it.
func (s *Service) storeContractFile(ctx context.Context, schoolID int64, r io.Reader) (ContractFile, error) {
	st, err := s.contractFiles()
	if err != nil {
		return ContractFile{}, err
	}
	f := ContractFile{SchoolID: schoolID, Status: ContractFileReceived, ReceivedAt: s.Now().UTC()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := st.CreateContractFile(ctx, &f); err != nil {
			return err
		}
		buf := make([]byte, ContractFilePartBytes)
		var total int64
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				if err := st.AddContractFilePart(ctx, f.ID, seq, buf[:n]); err != nil {
					return err
				}
				total += int64(n)
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return err
			}
		}
		f.Bytes = total
		if err := st.SetContractFileBytes(ctx, f.ID, total); err != nil {
			return err
		}
		if s.Jobs == nil {
			return errors.New("app: no job queue for contract files")
		}
		args, err := json.Marshal(ContractFileJob{FileID: f.ID})
		if err != nil {
			return err
		}
		return s.Jobs.Enqueue(ctx, Job{Kind: KindContractFile, Args: args, UniqueKey: "contractbestand-" + strconv.FormatInt(f.ID, 10)})
	})
	return f, err
}

// ContractFileOf returns a background contract file of the acting school: another school's is
// not found.
func (s *Service) ContractFileOf(ctx context.Context, id int64) (ContractFile, error) {
	p, err := SchoolFrom(ctx)
	if err != nil {
		return ContractFile{}, err
	}
	st, err := s.contractFiles()
	if err != nil {
		return ContractFile{}, err
	}
	return st.ContractFile(ctx, p.SchoolID, id)
}

// partReader reads a stored file back one part at a time.
type partReader struct {
	ctx  context.Context
	st   ContractFileStore
	id   int64
	seq  int
	part []byte
	done bool
}

func (r *partReader) bind(ctx context.Context) { r.ctx = ctx }

func (r *partReader) Read(p []byte) (int, error) {
	for len(r.part) == 0 {
		if r.done {
			return 0, io.EOF
		}
		b, err := r.st.ContractFilePart(r.ctx, r.id, r.seq)
		if domain.ErrorKind(err) == domain.KindNotFound {
			r.done = true
			continue
		}
		if err != nil {
			return 0, err
		}
		r.part, r.seq = b, r.seq+1
	}
	n := copy(p, r.part)
	r.part = r.part[n:]
	return n, nil
}

// RunContractFileJob processes a stored contract file (the handler of KindContractFile): all
// rows are stored with the result in one transaction, or none and the problems are. It is
// idempotent: a file that is no longer waiting is left alone; a failure rolls everything back
// and the job is tried again.
func (s *Service) RunContractFileJob(ctx context.Context, j ContractFileJob) error {
	st, err := s.contractFiles()
	if err != nil {
		return err
	}
	f, err := st.ContractFile(ctx, 0, j.FileID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if f.Status != ContractFileReceived {
		return nil
	}
	_, err = s.importContracts(ctx, f.SchoolID, &partReader{ctx: ctx, st: st, id: f.ID}, func(ctx context.Context, rows []ContractFileRow) error {
		now := s.Now().UTC()
		f.Status, f.Rows, f.ProcessedAt = ContractFileProcessed, rows, &now
		return st.FinishContractFile(ctx, f)
	})
	var de *domain.Error
	if errors.As(err, &de) && de.Kind == domain.KindInvalid {
		now := s.Now().UTC()
		f.Status, f.Problems, f.ProcessedAt = ContractFileRefused, de.Violations, &now
		err = s.tx.InTx(ctx, func(ctx context.Context) error { return st.FinishContractFile(ctx, f) })
	}
	if domain.ErrorKind(err) == domain.KindConflict {
		return nil // another run finished it
	}
	return err
}
