//go:build !linux

package main

// dropStartupPages is Linux's (see trim_linux.go); elsewhere it does nothing.
func dropStartupPages() int { return 0 }
