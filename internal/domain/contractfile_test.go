package domain

import (
	"strings"
	"testing"
	"testing/iotest"
)

const header = "bsn;cursussoort;startdatum;einddatum;ingekochteUren\n"

// read runs ReadContractFile and returns the rows' problems as "field:id" and the file's error.
func read(t testing.TB, data string) (rows []ContractLine, problems []string, fileErr []string) {
	err := ReadContractFile(strings.NewReader(data), func(l ContractLine) error {
		rows = append(rows, l)
		for _, v := range l.Problems {
			problems = append(problems, v.Field+":"+v.MessageID)
		}
		return nil
	})
	if err != nil {
		de, ok := err.(*Error)
		if !ok {
			t.Fatalf("not a domain error: %v", err)
		}
		for _, v := range de.Violations {
			fileErr = append(fileErr, v.Field+":"+v.MessageID)
		}
	}
	return rows, problems, fileErr
}

func TestReadContractFile(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		rows     int
		problems string
		fileErr  string
	}{
		{"good", header + "760913900;nt2;2026-01-05;2026-12-18;400\n930824623;alfabetisering;2026-02-01;2026-06-30;120\n", 2, "", ""},
		{"CRLF and no final newline", strings.ReplaceAll(header, "\n", "\r\n") + "760913900;nt2;2026-01-05;2026-12-18;400", 1, "", ""},
		{"only the header", header, 0, "", ""},
		{"empty file", "", 0, "", "regel[1].bestand:error.csv_header"},
		{"BOM", "\ufeff" + header, 0, "", "regel[1].bestand:error.csv_bom"},
		{"comma delimiter", "bsn,cursussoort,startdatum,einddatum,ingekochteUren\n", 0, "", "regel[1].bestand:error.csv_delimiter"},
		{"tab delimiter", "bsn\tcursussoort\tstartdatum\teinddatum\tingekochteUren\n", 0, "", "regel[1].bestand:error.csv_delimiter"},
		{"wrong header", "bsn;soort;van;tot;uren\n", 0, "", "regel[1].bestand:error.csv_header"},
		{"Latin-1", header + "760913900;nt2;2026-01-05;2026-12-18;400\n760913900;caf\xe9;2026-01-05;2026-12-18;400\n", 0, "", "regel[3].bestand:error.csv_encoding"},
		{"NUL", header + "760913900;nt2\x00;2026-01-05;2026-12-18;400\n", 0, "", "regel[2].bestand:error.csv_encoding"},
		{"bare quote", header + "760913900;n\"t2;2026-01-05;2026-12-18;400\n", 0, "", "regel[2].bestand:error.csv_malformed"},
		{"long line", header + strings.Repeat("x", 2000) + "\n", 0, "", "regel[2].bestand:error.csv_line_length"},
		{"too few fields", header + "760913900;nt2;2026-01-05\n", 1, "regel[2].regel:error.csv_fields", ""},
		{"eleven-test", header + "123456789;nt2;2026-01-05;2026-12-18;400\n", 1, "regel[2].bsn:error.bsn_elfproef", ""},
		{"every field wrong", header + "12;cobol;gisteren;2026-13-01;veel\n", 1,
			"regel[2].bsn:error.bsn_length,regel[2].cursussoort:error.field_format,regel[2].startdatum:error.date_invalid,regel[2].einddatum:error.date_invalid,regel[2].ingekochteUren:error.field_type", ""},
		{"reversed and no hours", header + "760913900;nt2;2026-12-18;2026-01-05;0\n", 1, "regel[2].einddatum:error.period_order,regel[2].ingekochteUren:error.hours_range", ""},
		{"course type in capitals, as in the files of schools", header + "760913900;NT2;2026-01-05;2026-12-18;400\n930824623;Alfabetisering;2026-02-01;2026-06-30;120\n", 2, "", ""},
		{"attended hours column (the Mijn DUO file)", strings.TrimSuffix(header, "\n") + ";gevolgdeUren\n760913900;nt2;2026-01-05;2026-12-18;400;120\n", 0, "", "regel[1].bestand:error.csv_attended_hours"},
		{"header in another order", "cursussoort;bsn;startdatum;einddatum;ingekochteUren\n", 0, "", "regel[1].bestand:error.csv_header"},
		{"third row bad", header + "760913900;nt2;2026-01-05;2026-12-18;400\n930824623;nt2;2026-01-05;2026-12-18;400\n930824623;nt2;2026-01-05;2026-12-18;-4\n", 3, "regel[4].ingekochteUren:error.hours_range", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, problems, fileErr := read(t, tt.data)
			if len(rows) != tt.rows || strings.Join(problems, ",") != tt.problems || strings.Join(fileErr, ",") != tt.fileErr {
				t.Errorf("rows %d problems %v file %v; want %d %q %q", len(rows), problems, fileErr, tt.rows, tt.problems, tt.fileErr)
			}
		})
	}
}

// TestReadContractFileOneByteAtATime: a rune cut between two reads is not an encoding error.
func TestReadContractFileOneByteAtATime(t *testing.T) {
	data := header + "760913900; nt2 ;2026-01-05;2026-12-18;400\n"
	var n int
	err := ReadContractFile(iotest.OneByteReader(strings.NewReader(strings.Replace(data, "bsn", "bsn", 1))), func(l ContractLine) error { n++; return nil })
	if err != nil || n != 1 {
		t.Fatalf("%v %d", err, n)
	}
	// A multi-byte character in a field, read one byte at a time, is still UTF-8.
	err = ReadContractFile(iotest.OneByteReader(strings.NewReader(header+"760913900;nt2é;2026-01-05;2026-12-18;400\n")), func(l ContractLine) error {
		if len(l.Problems) != 1 || l.Problems[0].Field != "regel[2].cursussoort" {
			t.Errorf("%+v", l.Problems)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzReadContractFile(f *testing.F) {
	f.Add([]byte(header + "760913900;nt2;2026-01-05;2026-12-18;400\n"))
	f.Add([]byte("\ufeff" + header))
	f.Add([]byte(header + "\"a;b\";nt2;x;y;z\n"))
	f.Add([]byte(header + "760913900;caf\xe9;2026-01-05;2026-12-18;400\n"))
	f.Add([]byte(header + "760913900;NT2;2026-01-05;2026-12-18;400\r\n"))
	f.Add([]byte(strings.TrimSuffix(header, "\n") + ";gevolgdeUren\n760913900;nt2;2026-01-05;2026-12-18;400;12\n"))
	f.Add([]byte(header + "760913900;nt2;2026-01-05;2026-12-18;400;extra\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		row := 1
		err := ReadContractFile(strings.NewReader(string(data)), func(l ContractLine) error {
			if l.Row <= row {
				t.Fatalf("rows out of order: %d after %d", l.Row, row)
			}
			row = l.Row
			if len(l.Problems) == 0 {
				// A good row is a valid contract with a valid BSN.
				if _, err := ParseBSN(string(l.Contract.BSN)); err != nil {
					t.Fatalf("good row with a bad BSN: %+v", l)
				}
				if l.Contract.Validate() != nil {
					t.Fatalf("good row that does not validate: %+v", l)
				}
			}
			for _, v := range l.Problems {
				if !strings.HasPrefix(v.Field, "regel[") || v.MessageID == "" {
					t.Fatalf("problem without a row: %+v", v)
				}
			}
			return nil
		})
		if err != nil {
			de, ok := err.(*Error)
			if !ok || de.Kind != KindInvalid || len(de.Violations) != 1 || !strings.HasPrefix(de.Violations[0].Field, "regel[") {
				t.Fatalf("file error is not one row-named violation: %v", err)
			}
		}
	})
}
