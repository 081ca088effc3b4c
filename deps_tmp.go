package main
import (
 _ "github.com/mmcdole/gofeed"
 _ "github.com/PuerkitoBio/goquery"
 _ "modernc.org/sqlite"
 _ "github.com/jackc/pgx/v5/pgxpool"
 _ "golang.org/x/net/html/charset"
 _ "golang.org/x/text/unicode/norm"
 _ "golang.org/x/time/rate"
 _ "github.com/prometheus/client_golang/prometheus"
 _ "github.com/andybalholm/brotli"
 _ "github.com/schollz/progressbar/v3"
 _ "golang.org/x/term"
)
func main(){}
