"""Timing of the reads that article and tag management added or changed (issue 14), on a
synthetic library: 100,000 articles of 2,000 characters, 200 nested tags (20 parents x 10
children), N article-tag assignments (argument, default 100,000), 5,000 highlights with tags,
100 articles in the trash. Figures, not a test:

    .venv/bin/python bench/manage_reads.py [N]
"""
import pathlib
import random
import tempfile
import time

from reader.core.library import ArticleFilter, Library, now_iso


def main() -> None:
    d = pathlib.Path(tempfile.mkdtemp())
    lib = Library.open(d / "lib")
    random.seed(1)
    with lib.store.transaction() as c:
        for i in range(1, 100001):
            c.execute("INSERT INTO articles(id,uuid,key,title,body,content_hash,imported_at,"
                      "updated_at) VALUES (?,?,?,?,?,?,?,?)",
                      (i, f"u{i}", f"k{i}", "标题", "正文" * 1000, "h", now_iso(), now_iso()))
        for t in [f"主题{i}/子{j}" for i in range(20) for j in range(10)]:
            c.execute("INSERT INTO tags(name) VALUES (?)", (t,))
        import sys
        tagged = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
        for i in random.sample(range(1, 100001), tagged):
            c.execute("INSERT INTO article_tags VALUES (?,?)", (i, random.randint(1, 200)))
        for h in range(1, 5001):
            c.execute("INSERT INTO highlights(id,uuid,article_id,start,end,quote,created,updated)"
                      " VALUES (?,?,?,?,?,?,?,?)",
                      (h, f"h{h}", random.randint(1, 100000), 0, 2, "正文", now_iso(), now_iso()))
            c.execute("INSERT INTO highlight_tags VALUES (?,?)", (h, random.randint(1, 20)))
        c.execute("UPDATE articles SET trashed_at='x' WHERE id % 1000 = 0")

    def tm(label, fn):
        fn()
        t = time.perf_counter()
        fn()
        print(f"{label:<28}{(time.perf_counter() - t) * 1000:8.1f} ms")

    tm("tags() (flat, existing)", lib.tags)
    tm("tag_tree()", lib.tag_tree)
    tm("sources()", lib.sources)
    tm("count_articles()", lib.count_articles)
    tm("count trash", lambda: lib.count_articles(ArticleFilter(trashed=True)))
    tm("first list page", lambda: lib.articles(limit=50))
    tm("list page, parent tag", lambda: lib.articles(ArticleFilter(tags=["主题3"]), limit=50))
    tm("recall all 5000", lambda: lib.highlights())
    tm("recall parent tag", lambda: lib.highlights(tags=["主题0"]))
    lib.close()


if __name__ == "__main__":
    main()
