package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date patterns as pages print them in a header line or a metadata field
// written for people ("Di., 25.01.2022 - 14:45", "5. November 2021",
// "Oct 21, 2019", "5 de noviembre de 2021"). Slashed dates are left out:
// 04/05/2021 reads as April or May depending on the country.
var (
	isoDateRE   = regexp.MustCompile(`(?:^|[^0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[^0-9]|$)`)
	dottedRE    = regexp.MustCompile(`(?:^|[^0-9.])([0-9]{1,2})\.\s?([0-9]{1,2})\.\s?([0-9]{4})(?:[^0-9]|$)`)
	dayMonthRE  = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2})\.?\s+(?:de\s+)?(\pL+)\.?,?\s+(?:de\s+)?([0-9]{4})(?:[^0-9]|$)`)
	monthDayRE  = regexp.MustCompile(`(?:^|[^\pL])(\pL+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})(?:[^0-9]|$)`)
	monthByName = monthNames()
)

// monthNames maps month names and their usual abbreviations, in the
// languages of the archive's sources, to months. No name means two months
// across these languages.
func monthNames() map[string]time.Month {
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
		{"jänner", "feber", "mär", "apr", "mai", "jun", "jul", "aug", "sept", "okt", "nov", "dez"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
		{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
	}
	m := make(map[string]time.Month, 128)
	for _, l := range lists {
		for i, name := range l {
			m[name] = time.Month(i + 1)
		}
	}
	return m
}

// textDate finds the first calendar day written in s as people read it; it
// returns false when s holds none.
func textDate(s string) (time.Time, bool) {
	if len(s) > maxDateLine {
		return time.Time{}, false
	}
	if m := isoDateRE.FindStringSubmatch(s); m != nil {
		return day(m[1], m[2], m[3])
	}
	if m := dottedRE.FindStringSubmatch(s); m != nil {
		return day(m[3], m[2], m[1])
	}
	lower := strings.ToLower(s)
	if m := dayMonthRE.FindStringSubmatch(lower); m != nil {
		if mon, ok := monthByName[m[2]]; ok {
			return day(m[3], strconv.Itoa(int(mon)), m[1])
		}
	}
	if m := monthDayRE.FindStringSubmatch(lower); m != nil {
		if mon, ok := monthByName[m[1]]; ok {
			return day(m[3], strconv.Itoa(int(mon)), m[2])
		}
	}
	return time.Time{}, false
}

// maxDateLine bounds the text searched for a date: a header line, not a
// paragraph that mentions days.
const maxDateLine = 80

// day builds a date from its parts, refusing days the calendar lacks
// (31.02.) and years outside the web's.
func day(year, month, dayOfMonth string) (time.Time, bool) {
	y, err1 := strconv.Atoi(year)
	m, err2 := strconv.Atoi(month)
	d, err3 := strconv.Atoi(dayOfMonth)
	if err1 != nil || err2 != nil || err3 != nil || y < 1995 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
