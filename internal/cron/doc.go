// Package cron parses unix-cron schedules the way Cloud Scheduler accepts them
// and computes their next fire time in an IANA time zone.
//
// A schedule has five fields: minute, hour, day-of-month, month and
// day-of-week. Each field is "*", a number, a range "a-b", a step "*/n",
// "a-b/n" or "a/n", or a comma-separated list of those. Months accept
// JAN-DEC and weekdays SUN-SAT (case-insensitive); day-of-week 0 and 7 both
// mean Sunday. When both day-of-month and day-of-week are restricted (neither
// starts with "*"), a day matches if either field matches, as in Vixie cron.
package cron
