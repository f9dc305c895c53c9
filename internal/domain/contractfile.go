package domain

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ContractFileHeader is the first line of a contract file: semicolon-separated, UTF-8 without a
// byte-order mark (the monthly <BOW>Aanlevering<yyyymmdd>.csv, domain.md §1).
var ContractFileHeader = []string{"bsn", "cursussoort", "startdatum", "einddatum", "ingekochteUren"}

// AttendedHoursColumn is the column of attended hours that the monthly file of the Mijn DUO era
// carried (domain.md §1). This file holds contracts only: attended hours are hour declarations
// (POST /v2/urenverklaringen), which are verified; a file with the column is refused with a
// message that says so, rather than its hours being dropped unseen.
const AttendedHoursColumn = "gevolgdeUren"

// MaxContractFileRows bounds the rows of one file; MaxContractLineBytes one line.
const (
	MaxContractFileRows  = 100_000
	MaxContractLineBytes = 1024
)

// ContractLine is one data row of a contract file as read: the BSN is checked (format and
// eleven-test), dates and numbers parsed, the contract rules applied.
type ContractLine struct {
	Row      int // 1 is the header; data starts at 2
	Contract Contract
	Problems []Violation // empty when the row is good
}

// ReadContractFile streams a contract file: each data row goes to each as soon as it is read,
// never the whole file in memory. A problem with the file as a whole (a BOM, another encoding or
// delimiter, a wrong header, a line that cannot be read) ends the reading with an invalid-input
// error naming the row; a problem in a row is in its ContractLine.
func ReadContractFile(r io.Reader, each func(ContractLine) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		return fileProblem(1, "bestand", "error.csv_bom")
	}
	lines := &lineCheck{r: br}
	cr := csv.NewReader(lines)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1 // counted here, to name the row
	cr.ReuseRecord = true
	row := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		row++
		if lines.err != nil {
			return lines.err
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fileProblem(pe.Line, "bestand", "error.csv_malformed")
			}
			return err
		}
		if row == 1 {
			if len(rec) == 1 && (strings.Contains(rec[0], ",") || strings.Contains(rec[0], "\t")) {
				return fileProblem(1, "bestand", "error.csv_delimiter")
			}
			if !equalFields(rec, ContractFileHeader) {
				if equalFields(rec, append(ContractFileHeader[:len(ContractFileHeader):len(ContractFileHeader)], AttendedHoursColumn)) {
					// The paper-era file carried attended hours too; here they are hour declarations.
					return fileProblem(1, "bestand", "error.csv_attended_hours")
				}
				return fileProblem(1, "bestand", "error.csv_header")
			}
			continue
		}
		if row > MaxContractFileRows+1 {
			return fileProblem(row, "bestand", "error.csv_too_many_rows")
		}
		if err := each(parseContractLine(row, rec)); err != nil {
			return err
		}
	}
	if lines.err != nil {
		return lines.err
	}
	if row == 0 {
		return fileProblem(1, "bestand", "error.csv_header")
	}
	return nil
}

func equalFields(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if strings.TrimSpace(got[i]) != want[i] {
			return false
		}
	}
	return true
}

// fileProblem is an invalid-input error about the file at row.
func fileProblem(row int, field, id string) error {
	return Invalid(Violation{Field: RowField(row, field), MessageID: id, Params: map[string]any{"Row": row}})
}

// RowField names a field of a row in a violation: regel[3].bsn.
func RowField(row int, field string) string { return "regel[" + strconv.Itoa(row) + "]." + field }

func parseContractLine(row int, rec []string) ContractLine {
	l := ContractLine{Row: row}
	bad := func(field, id string) {
		l.Problems = append(l.Problems, Violation{Field: RowField(row, field), MessageID: id})
	}
	if len(rec) != len(ContractFileHeader) {
		bad("regel", "error.csv_fields")
		return l
	}
	f := func(i int) string { return strings.TrimSpace(rec[i]) }
	if bsn, err := ParseBSN(f(0)); err != nil {
		id := "error.field_invalid"
		var de *Error
		if errors.As(err, &de) && len(de.Violations) > 0 {
			id = de.Violations[0].MessageID
		}
		bad("bsn", id)
	} else {
		l.Contract.BSN = bsn
	}
	// The course type as in the API (nt2), or as schools write it in their files (NT2, Inburgering).
	if ct, ok := ParseCourseType(strings.ToLower(f(1))); ok {
		l.Contract.CourseType = ct
	} else {
		bad("cursussoort", "error.field_format")
	}
	start, err1 := ParseDate(f(2))
	if err1 != nil {
		bad("startdatum", "error.date_invalid")
	}
	end, err2 := ParseDate(f(3))
	if err2 != nil {
		bad("einddatum", "error.date_invalid")
	}
	hours, err := strconv.Atoi(f(4))
	if err != nil {
		bad("ingekochteUren", "error.field_type")
	}
	if err1 != nil || err2 != nil || err != nil {
		return l
	}
	l.Contract.Start, l.Contract.End, l.Contract.PurchasedHours = start, end, hours
	if verr := l.Contract.Validate(); verr != nil {
		var de *Error
		if errors.As(verr, &de) {
			for _, v := range de.Violations {
				bad(v.Field, v.MessageID)
				l.Problems[len(l.Problems)-1].Params = v.Params
			}
		}
	}
	return l
}

// lineCheck passes the file through, refusing text that is not UTF-8, a NUL, or a line longer
// than MaxContractLineBytes, with the line it is on.
type lineCheck struct {
	r       *bufio.Reader
	line    int
	lineLen int
	pending []byte // bytes of an incomplete rune carried to the next read
	err     error
}

func (l *lineCheck) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	chunk := append(l.pending, p[:n]...)
	l.pending = nil
	// Keep a rune cut at the end of the chunk for the next read.
	if err == nil {
		for k := 1; k <= 3 && k <= len(chunk); k++ {
			if utf8.RuneStart(chunk[len(chunk)-k]) {
				if !utf8.FullRune(chunk[len(chunk)-k:]) {
					l.pending = append([]byte(nil), chunk[len(chunk)-k:]...)
					chunk = chunk[:len(chunk)-k]
				}
				break
			}
		}
	}
	for len(chunk) > 0 {
		rn, size := utf8.DecodeRune(chunk)
		switch {
		case rn == utf8.RuneError && size <= 1:
			l.err = fileProblem(l.line+1, "bestand", "error.csv_encoding")
			return 0, l.err
		case rn == 0:
			l.err = fileProblem(l.line+1, "bestand", "error.csv_encoding")
			return 0, l.err
		case rn == '\n':
			l.line++
			l.lineLen = 0
		default:
			l.lineLen += size
			if l.lineLen > MaxContractLineBytes {
				l.err = fileProblem(l.line+1, "bestand", "error.csv_line_length")
				return 0, l.err
			}
		}
		chunk = chunk[size:]
	}
	if err == io.EOF && len(l.pending) > 0 {
		l.err = fileProblem(l.line+1, "bestand", "error.csv_encoding")
		return 0, l.err
	}
	return n, err
}
