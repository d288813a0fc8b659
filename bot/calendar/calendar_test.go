package calendar_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
)

func TestRecessesAreRefusedWithTheFieldNamed(t *testing.T) {
	zomer := calendar.Recess{Name: "zomerreces", From: day(2027, 7, 10), To: day(2027, 8, 29)}
	for _, tc := range []struct {
		name    string
		list    []calendar.Recess
		index   int
		field   string
		problem string
	}{
		{"ends before it starts", []calendar.Recess{{Name: "kerstreces", From: day(2027, 12, 24), To: day(2027, 12, 20)}}, 0, "to", "kerstreces ends on 2027-12-20, before it starts (2027-12-24)"},
		{"overlaps", []calendar.Recess{zomer, {Name: "herfstreces", From: day(2027, 8, 29), To: day(2027, 9, 3)}}, 1, "from", "herfstreces (2027-08-29 to 2027-09-03) overlaps recess 1, zomerreces (2027-07-10 to 2027-08-29)"},
		{"inside another", []calendar.Recess{zomer, {Name: "x", From: day(2027, 7, 20), To: day(2027, 7, 21)}}, 1, "from", "overlaps recess 1"},
		{"no name", []calendar.Recess{{From: day(2027, 7, 20), To: day(2027, 7, 21)}}, 0, "name", "missing"},
		{"no end", []calendar.Recess{zomer, {Name: "x", From: day(2027, 9, 20)}}, 1, "to", "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calendar.New(tc.list, calendar.Options{})
			var re *calendar.RecessError
			if !errors.As(err, &re) || re.Index != tc.index || re.Field != tc.field || !strings.Contains(re.Problem, tc.problem) {
				t.Errorf("New = %v, want recess %d field %s: …%s…", err, tc.index, tc.field, tc.problem)
			}
		})
	}
}

func TestRecessIncludesBothEnds(t *testing.T) {
	c, err := calendar.New([]calendar.Recess{
		{Name: "zomerreces", From: day(2027, 7, 10), To: day(2027, 8, 29)},
		{Name: "kerstreces", From: day(2027, 12, 18), To: day(2028, 1, 2)},
		{Name: "voorjaarsreces", From: day(2027, 2, 13), To: day(2027, 2, 21)},
	}, calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d    calendar.Date
		want string
	}{
		{day(2027, 2, 12), ""},
		{day(2027, 2, 13), "voorjaarsreces"},
		{day(2027, 7, 9), ""},
		{day(2027, 7, 10), "zomerreces"},
		{day(2027, 8, 29), "zomerreces"},
		{day(2027, 8, 30), ""},
		{day(2027, 12, 31), "kerstreces"},
		{day(2028, 1, 2), "kerstreces"},
		{day(2028, 1, 3), ""},
	} {
		r, _ := c.Recess(tc.d)
		if r.Name != tc.want {
			t.Errorf("Recess(%s) = %q, want %q", tc.d, r.Name, tc.want)
		}
	}
	if rs := c.Recesses(); len(rs) != 3 || rs[0].Name != "voorjaarsreces" {
		t.Errorf("Recesses() = %v, want three, earliest first", rs)
	}
}

func TestDateTextAndArithmetic(t *testing.T) {
	d := day(2027, 12, 31)
	if got := d.AddDays(1); got != day(2028, 1, 1) {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := day(2028, 3, 1).AddDays(-1); got != day(2028, 2, 29) {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if n := day(2027, 3, 1).Days(day(2027, 4, 1)); n != 31 {
		t.Errorf("Days = %d, want 31", n)
	}
	if _, ok := calendar.NewDate(2027, 2, 29); ok {
		t.Error("2027-02-29 exists")
	}
	b, err := json.Marshal(struct {
		D calendar.Date
		Z calendar.Date `json:",omitzero"`
	}{D: d})
	if err != nil || string(b) != `{"D":"2027-12-31"}` {
		t.Errorf("JSON %s %v", b, err)
	}
	var back struct{ D, Z calendar.Date }
	if err := json.Unmarshal([]byte(`{"D":"2027-12-31","Z":""}`), &back); err != nil || back.D != d || !back.Z.IsZero() {
		t.Errorf("from JSON: %+v %v", back, err)
	}
	c := calendar.Dutch()
	if h, ok := c.FirstHoliday(day(2027, 12, 27), day(2028, 4, 30)); !ok || h != day(2028, 1, 1) {
		t.Errorf("FirstHoliday across the year = %s %t, want 2028-01-01", h, ok)
	}
	if h, ok := c.FirstHoliday(day(2027, 5, 18), day(2027, 12, 24)); ok {
		t.Errorf("FirstHoliday between Pinksteren and Kerstmis = %s", h)
	}
	if got := calendar.DateOf(time.Date(2027, 3, 28, 23, 30, 0, 0, time.UTC)); got != day(2027, 3, 28) {
		t.Errorf("DateOf = %s", got)
	}
}
