package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SQLitePath is the file Open uses for databaseURL and dataDir, and whether the database is
// SQLite at all.
func SQLitePath(databaseURL, dataDir string) (string, bool) {
	if databaseURL != "" && !strings.HasPrefix(databaseURL, "sqlite:") {
		return "", false
	}
	if path := strings.TrimPrefix(databaseURL, "sqlite:"); path != "" {
		return path, true
	}
	return filepath.Join(dataDir, "inburgering.db"), true
}

// CheckSQLiteWritable makes the folder of path if missing and checks, before the driver does,
// that SQLite can write there: the file itself and its journal beside it. The error is one line
// naming the path and the problem (the driver would say "out of memory (14)").
func CheckSQLiteWritable(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create the data folder %s: %s; set DATA_DIR to a folder this user may write", dir, reason(err))
	}
	probe, err := os.CreateTemp(dir, ".write-probe-*")
	if err != nil {
		return fmt.Errorf("the data folder %s is not writable: %s; SQLite keeps its database and journal there: fix its owner or permissions, or set DATA_DIR", dir, reason(err))
	}
	probe.Close()
	_ = os.Remove(probe.Name())
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("the SQLite file %s cannot be read: %s", path, reason(err))
	case st.IsDir():
		return fmt.Errorf("the SQLite file %s is a folder", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("the SQLite file %s is not writable: %s; fix its owner or permissions", path, reason(err))
	}
	return f.Close()
}

// reason is the operating system's word for err, without the path the message already names.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
