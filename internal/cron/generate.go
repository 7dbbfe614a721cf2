package cron

//go:generate go run gen_zones.go
