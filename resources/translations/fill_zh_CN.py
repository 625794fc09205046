"""Fill resources/translations/pizhu_zh_CN.ts with the Chinese texts below, then compile.

    .venv/bin/pyside6-lupdate -no-obsolete -locations none reader/ui/*.py \
        -ts resources/translations/pizhu_zh_CN.ts
    .venv/bin/python resources/translations/fill_zh_CN.py
    .venv/bin/pyside6-lrelease resources/translations/pizhu_zh_CN.ts \
        -qm resources/translations/pizhu_zh_CN.qm

A message with no entry here stays "unfinished" and the script says so (the test of the
translation fails on it). Entries are by source text; ``(context, source)`` keys override.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
TS = HERE / "pizhu_zh_CN.ts"

ZH: dict[str | tuple[str, str], str] = {
    # ---- shared words
    "Highlights": "划线",
    "Highlight": "划线",
    "Tags": "标签",
    "Note": "批注",
    "Title": "标题",
    "Source": "来源",
    "Date": "日期",
    "Read": "已读",
    "Unread": "未读",
    "Yellow": "黄色",
    "Green": "绿色",
    "Blue": "蓝色",
    "Pink": "粉色",
    "Purple": "紫色",
    "Orange": "橙色",
    "Copy": "复制",
    "Copy quote": "复制原文",
    # ---- pictures in the reader (issue 13)
    "Picture": "图片",
    "Picture not stored (web only)": "图片未保存（仅有网址）",
    "This picture was not saved with the article; Pizhu does not load it from the web.":
        "这张图片没有随文章保存；批注不会从网上加载它。",
    "Copy note": "复制批注",
    "Delete": "删除",
    "Delete highlight": "删除划线",
    "Change highlight colour": "更改划线颜色",
    "Colour": "颜色",
    "Filter": "筛选",
    "Clear": "清除",
    "All sources": "全部来源",
    "Articles": "文章",
    "Search": "搜索",
    "Recall": "回顾",
    "Recall by tag": "按标签回顾",
    "Import": "导入",
    "File": "文件",
    "From": "起始日期",
    "To": "截止日期",
    "Orphan": "失联",
    "1 highlight": "1 条划线",
    "%1 highlights": "%1 条划线",
    "1 article": "1 篇文章",
    "%1 articles": "%1 篇文章",
    "%n article(s)": "%n 篇文章",
    "The library is open read-only.": "文库以只读方式打开。",
    # ---- annotations panel (reader.ui.annotations_panel)
    "Orphaned highlights": "失联的划线",
    "Re-attach to selection": "重新关联到选中文字",
    "Select the passage in the article, then attach this highlight to it":
        "先在文章中选中一段文字，再把这条划线关联过去",
    "Discard": "丢弃",
    "The text of these highlights is no longer in the article. Re-attach one to a new "
    "selection, or discard it.":
        "这些划线的原文已不在文章中。可以把它关联到新选中的文字，或者丢弃。",
    "Open an article to see its highlights.": "打开一篇文章，即可在这里看到它的划线。",
    "No highlights yet.\nSelect text in the article and pick a colour.":
        "还没有划线。\n在文章中选中文字，再选一种颜色。",
    "Discard orphaned highlight": "丢弃失联的划线",
    "Go to passage": "跳到这段文字",
    "Edit note and tags…": "编辑批注和标签…",
    # ---- article list
    "Filter by title  (Ctrl+L)": "按标题筛选  (Ctrl+L)",
    "Show only articles not read yet": "只显示还没读过的文章",
    "Articles dated on or after this day": "日期不早于这一天的文章",
    "Articles dated on or before this day": "日期不晚于这一天的文章",
    "Clear filters": "清除筛选",
    "{shown} of {total}": "{shown} / {total}",
    "source: {name}": "来源：{name}",
    "tags: {names}": "标签：{names}",
    "Source (outlet or account)": "来源（媒体或公众号）",
    "Number of highlights": "划线数",
    "Read or unread": "已读或未读",
    # ---- empty state
    "Welcome to Pizhu 批注": "欢迎使用批注",
    "A quiet place to read Chinese news, highlight what matters, and find it again.\n"
    "Your library is empty — import WeChat exports, newspaper pages or plain text files.":
        "安静地读新闻，划下要紧的句子，日后随时找回。\n"
        "文库还是空的——导入公众号导出文件、报纸版面或纯文本文件吧。",
    "Import files…": "导入文件…",
    "Import a folder…": "导入文件夹…",
    "Load the sample library": "载入示例文库",
    "You can also drop files or folders anywhere on this window. Everything stays on this "
    "computer.": "也可以把文件或文件夹直接拖进窗口。所有内容都只保存在这台电脑上。",
    # ---- find bar
    "Find in article": "在文章中查找",
    "Previous match (Shift+F3)": "上一个 (Shift+F3)",
    "Next match (F3)": "下一个 (F3)",
    "Close (Esc)": "关闭 (Esc)",
    # ---- highlight editor and cards
    "Delete this highlight (undo with Ctrl+Z)": "删除这条划线（可用 Ctrl+Z 撤销）",
    "Write a note…": "写批注…",
    "Change highlight tags": "更改划线标签",
    "Saving…": "正在保存…",
    "Saved": "已保存",
    "Not saved: %1": "未保存：%1",
    "Editing…": "正在编辑…",
    "Orphan — its text is gone from the article:": "失联——原文已不在文章中：",
    "Highlighted %1": "划于 %1",
    "Orphan: its text is gone from the current version": "失联：当前版本中已没有这段原文",
    # ---- import dialog
    "added": "已添加",
    "updated": "已更新",
    "unchanged": "无变化",
    "skipped": "已跳过",
    "not imported": "未导入",
    "Articles added: %n": "新增文章：%n 篇",
    "updated: %n": "更新：%n 篇",
    "files already in the library: %n": "已在文库中的文件：%n 个",
    "files not imported: %n": "未导入的文件：%n 个",
    "Cancelled.": "已取消。",
    "Result": "结果",
    "Why": "原因",
    "Importing {names}": "正在导入 {names}",
    "Import {names}": "导入 {names}",
    "Source and date for the articles that state none (their text, file name or folder); "
    "leave empty to import them without.":
        "正文、文件名和文件夹都没有注明来源或日期的文章，使用这里填写的来源和日期；留空则不填。",
    "YYYY-MM-DD": "YYYY-MM-DD（年-月-日）",
    "Not a date: use YYYY-MM-DD.": "不是有效日期：请按 YYYY-MM-DD 填写。",
    "Page {page}": "第{page}版",
    "Looking for files…": "正在查找文件…",
    "{n} of {total}: {name}": "第 {n} / {total} 个：{name}",
    "{articles} articles so far · {rate} files/s · about {left} left":
        "已导入 {articles} 篇 · {rate} 个文件/秒 · 约剩 {left}",
    "{n} s": "{n} 秒",
    "{n} min": "{n} 分钟",
    "{h} h {m} min": "{h} 小时 {m} 分钟",
    "Cancelling after the current file…": "当前文件完成后即取消…",
    "The import stopped: {reason}": "导入中断：{reason}",
    "Import failed": "导入失败",
    "(%n article(s))": "（%n 篇）",
    "already imported": "已导入过",
    "no such file": "文件不存在",
    "permission denied": "没有读取权限",
    "is a folder": "这是一个文件夹",
    "not a regular file": "不是普通文件",
    "empty file": "空文件",
    "binary file, not text": "二进制文件，不是文本",
    "no articles found": "没有找到文章",
    # import reasons, by code (reader.ui.import_dialog.reason_texts)
    "cannot list the folder: {cause}": "无法列出文件夹内容：{cause}",
    "cannot read the file ({error})": "无法读取文件（{error}）",
    "file too large ({size}; the limit is {limit})": "文件太大（{size}；上限 {limit}）",
    "file too large (more than {limit})": "文件太大（超过 {limit}）",
    "out of memory": "内存不足",
    "cannot decode the text (tried UTF-8, GB18030, Big5, UTF-16)":
        "无法识别文字编码（已尝试 UTF-8、GB18030、Big5、UTF-16）",
    "not valid JSON: line {line}, column {column}": "不是有效的 JSON：第 {line} 行第 {column} 列",
    "not valid JSON: line {line}, column {column} (cut off?)":
        "不是有效的 JSON：第 {line} 行第 {column} 列（文件不完整？）",
    "not valid JSON: a value cannot be read": "不是有效的 JSON：有无法读取的值",
    "not valid JSON: nested too deeply": "不是有效的 JSON：嵌套层数太多",
    "nested too deeply": "嵌套层数太多",
    "not a readable HTML page": "不是可读的 HTML 网页",
    "metadata only, no article text": "只有文章信息，没有正文",
    "no article text found on the page": "网页上没有找到文章正文",
    "deleted by the publisher": "该内容已被发布者删除",
    "blocked for violating the rules": "此内容因违规无法查看",
    "removed after a complaint": "此内容被投诉且经审核涉嫌侵权",
    "temporarily unavailable": "该内容暂时无法查看",
    "the account has moved": "该公众号已迁移",
    "internal error while reading ({error})": "读取时出现内部错误（{error}）",
    "no article text": "没有文章正文",
    "an article is too long ({chars} characters; the limit is {limit})":
        "文章太长（{chars} 字；上限 {limit} 字）",
    "not saved in the library": "未能保存到文库",
    "not saved (internal error: {error})": "未能保存（内部错误：{error}）",
    "%n entry(s) without article text skipped": "跳过了 %n 条没有正文的条目",
    # ---- main window
    "Cannot open the library": "无法打开文库",
    "Opening the library…": "正在打开文库…",
    "&Import files…": "导入文件(&I)…",
    "Import &folder…": "导入文件夹(&F)…",
    "Load the &sample library": "载入示例文库(&S)",
    "&Quit": "退出(&Q)",
    "&Undo": "撤销(&U)",
    "&Redo": "重做(&R)",
    "&Find in article…": "在文章中查找(&F)…",
    "Find &next": "查找下一个(&N)",
    "Find &previous": "查找上一个(&P)",
    "&Search the library…": "搜索文库(&S)…",
    "Filter the article &list": "筛选文章列表(&L)",
    "&Articles": "文章(&A)",
    "Searc&h results": "搜索结果(&H)",
    "&Recall by tag": "按标签回顾(&R)",
    "Show &sidebar": "显示侧栏(&S)",
    "Show a&nnotations": "显示划线面板(&N)",
    "&Bigger text": "放大文字(&B)",
    "S&maller text": "缩小文字(&M)",
    "&Normal text size": "默认字号(&N)",
    # ---- recall (issue 17): 繁简 display, related articles, suggested tags
    "Show in the &other script (繁⇄简)": "繁简转换显示（繁⇄简）(&O)",
    "Traditional characters shown as Simplified, or the reverse; the text and its highlights "
    "stay as they are": "繁体字显示为简体，或简体显示为繁体；原文和划线保持不变",
    "Shown in Simplified characters": "已按简体字显示",
    "Shown in Traditional characters": "已按繁体字显示",
    "Shown as written": "已按原文显示",
    "Related articles": "相关文章",
    "Related articles ({n})": "相关文章（{n}）",
    "shares: {words}": "共同关键词：{words}",
    "(untitled)": "（无标题）",
    "Suggested:": "推荐标签：",
    "Add the tag “{tag}” (Alt+{n})": "添加标签“{tag}”（Alt+{n}）",
    "One of your tags": "你已有的标签",
    "&Full screen": "全屏(&F)",
    "Next &theme": "下一个主题(&T)",
    "Follow the system": "跟随系统",
    "Light": "浅色",
    "Dark": "深色",
    "Sepia": "护眼（米黄）",
    "&Next article": "下一篇(&N)",
    "&Previous article": "上一篇(&P)",
    "Mark as read / &unread": "标为已读 / 未读(&U)",
    "Article &tags…": "文章标签(&T)…",
    "&Merge with the previous article": "与上一篇合并(&M)",
    "&Split the article at the cursor's line": "在光标所在行拆分文章(&S)",
    "Highlight in {color}": "用{color}划线",
    "Highlight and add a &note…": "划线并写批注(&N)…",
    "&Keyboard shortcuts": "键盘快捷键(&K)",
    "&About Pizhu": "关于批注(&A)",
    "&File": "文件(&F)",
    "&Edit": "编辑(&E)",
    "&View": "视图(&V)",
    "&Theme": "主题(&T)",
    "&Article": "文章(&A)",
    "&Highlight": "划线(&H)",
    "&Help": "帮助(&H)",
    "Recall by tag is coming.": "按标签回顾即将推出。",
    "Highlights of the open article": "当前文章的划线",
    "Highlight editing is not available yet.": "暂时还不能编辑划线。",
    "Select the passage in the article first, then re-attach.": "请先在文章中选中文字，再重新关联。",
    "Marked as read.": "已标为已读。",
    "Marked as unread.": "已标为未读。",
    "Article tags": "文章标签",
    "Tags for “{title}”": "“{title}”的标签",
    "“{title}” was joined to the article before it. Split at its line to undo.":
        "“{title}”已并入上一篇文章。在它的标题行拆分即可撤销。",
    "Click in the line that should begin the new article, then split.":
        "请先点击新文章开头的那一行，再拆分。",
    "“{title}” is now an article of its own. Merge it with the previous article to undo.":
        "“{title}”已成为单独的一篇。与上一篇合并即可撤销。",
    "Import files": "导入文件",
    "Articles (*.txt *.json *.md *.text);;All files (*)": "文章 (*.txt *.json *.md *.text);;所有文件 (*)",
    "Articles (*.txt *.json *.md *.text *.html *.htm);;All files (*)":
        "文章 (*.txt *.json *.md *.text *.html *.htm);;所有文件 (*)",
    "Import a folder": "导入文件夹",
    "An import is already running.": "已有一个导入正在进行。",
    "Working…": "正在处理…",
    "Reading": "阅读",
    "Scroll a screen down / up": "向下 / 向上翻一屏",
    "Space / Shift+Space, PgDn / PgUp": "空格 / Shift+空格，PgDn / PgUp",
    "Select text with the keyboard": "用键盘选择文字",
    "Shift+arrows": "Shift+方向键",
    "Copy the selection": "复制选中文字",
    "Next / previous match while finding": "查找时的下一个 / 上一个",
    "Enter / Shift+Enter": "回车 / Shift+回车",
    "Close the find bar": "关闭查找栏",
    "Esc": "Esc",
    "Search and lists": "搜索和列表",
    "Run the search now": "立即搜索",
    "Enter": "回车",
    "From the search field to the results": "从搜索框进入结果列表",
    "Down": "下方向键",
    "Open the chosen result or article": "打开选中的结果或文章",
    "Move in a list": "在列表中移动",
    "Up / Down, PgUp / PgDn, Home / End": "上 / 下，PgUp / PgDn，Home / End",
    "About Pizhu": "关于批注",
    "Pizhu 批注 — read, highlight and annotate Chinese news, offline.\n\nYour library: {path}":
        "批注 Pizhu——离线阅读、划线和批注中文新闻。\n\n你的文库：{path}",
    "Preparing search…": "正在准备搜索…",
    # ---- reader view
    "Choose an article from the list to read it here.": "从列表中选一篇文章，在这里阅读。",
    "Highlight with note…": "划线并写批注…",
    "Edit highlight “{quote}”…": "编辑划线“{quote}”…",
    "Find in article…": "在文章中查找…",
    "Split article at this line": "在这一行拆分文章",
    "Select all": "全选",
    "No matches": "没有找到",
    "{current} of {total}": "{current} / {total}",
    # ---- recall view
    "All highlights — type tags to narrow": "全部划线——输入标签缩小范围",
    "Tags to recall": "要回顾的标签",
    "All of them": "全部满足",
    "Highlights carrying every one of these tags (AND)": "带有所有这些标签的划线（与）",
    "Any of them": "任一满足",
    "Highlights carrying at least one of these tags (OR)": "至少带有其中一个标签的划线（或）",
    "Newest first": "最新在前",
    "By article": "按文章",
    "Order": "排序",
    "Search quotes and notes": "搜索原文和批注",
    "Recalled highlights": "回顾的划线",
    "No highlights match.": "没有符合的划线。",
    "No highlights yet.\nHighlight passages in an article and give them tags; then recall "
    "them here by tag.": "还没有划线。\n在文章中划线并加上标签，之后就能在这里按标签回顾。",
    "Open at this passage": "打开并定位到这段文字",
    # ---- search panel
    "Search the library  (Ctrl+K)": "搜索文库  (Ctrl+K)",
    'Words match anywhere in titles, text and notes. Use "quotes" for an exact phrase, OR for '
    "either word, -word to leave out; title:, source:, tag:, date:2026-01 narrow it.":
        "词语在标题、正文和批注中都会匹配。用 \"引号\" 搜索完整短语，OR 表示任一，-词 表示排除；"
        "title:、source:、tag:、date:2026-01 可缩小范围。",
    "Searching…": "正在搜索…",
    "Cannot search for that: {reason}": "无法这样搜索：{reason}",
    "Search failed: {reason}": "搜索出错：{reason}",
    "Nothing found": "没有找到",
    "{shown} of {total} articles": "共 {total} 篇，显示 {shown} 篇",
    # ---- selection toolbar
    "Highlight in {color} ({key})": "用{color}划线 ({key})",
    "Highlight and write a note (N)": "划线并写批注 (N)",
    # ---- shortcuts dialog
    "Keyboard shortcuts": "键盘快捷键",
    "Action": "操作",
    "Keys": "按键",
    # ---- sidebar
    "Sources": "来源",
    "Filter tags": "筛选标签",
    "Show articles with any tag or none": "显示全部文章，不按标签筛选",
    "articles · highlights": "文章 · 划线",
    "(no source)": "（无来源）",
    "Recall highlights with all these tags": "回顾带有这些标签的划线",
    "Recall highlights with this tag": "回顾带有这个标签的划线",
    "Filter articles by this tag": "按这个标签筛选文章",
    "Clear tag filter": "清除标签筛选",
    # ---- tag edit
    "Add tags, separated by commas": "添加标签，用逗号分隔",
    # ---- article list: orphan badge
    "No highlights": "没有划线",
    "Highlights: {n}": "划线：{n} 条",
    "Orphaned: {n} — their text is gone from the current version; re-attach or discard them "
    "in the annotations panel": "失联：{n} 条——当前版本中已没有它们的原文；可在划线面板中重新关联或丢弃",
    # ---- main window: export/import, versions, backup, links
    "&Export annotations…": "导出划线与批注(&E)…",
    "Import a&nnotations…": "导入划线与批注(&N)…",
    "&Back up library…": "备份文库(&B)…",
    "&Restore from backup…": "从备份恢复(&R)…",
    "&Version history…": "版本历史(&V)…",
    "The highlight is attached to “{quote}”.": "划线已关联到“{quote}”。",
    "Exported {n} highlights to {path}": "已将 {n} 条划线导出到 {path}",
    "Import annotations": "导入划线与批注",
    "Web Annotation JSON (*.json *.jsonld);;All files (*)":
        "Web Annotation JSON (*.json *.jsonld);;所有文件 (*)",
    "An import of annotations is already running.": "已有一个划线与批注的导入正在进行。",
    "A backup or restore is already running.": "已有一个备份或恢复正在进行。",
    "Restore from backup": "从备份恢复",
    "Pizhu could not be started on {path}.": "无法在 {path} 上启动批注。",
    "Daily backup saved: {path}": "每日备份已保存：{path}",
    "The daily backup failed: {reason}": "每日备份失败：{reason}",
    "Not a Pizhu link: {url}": "不是批注的链接：{url}",
    "The linked article is not in this library.": "链接指向的文章不在这个文库中。",
    "The linked highlight is no longer there; its article is open.":
        "链接指向的划线已不存在；已打开它所在的文章。",
    "The linked highlight is orphaned: its text is gone from the article. Re-attach it in the "
    "annotations panel.": "链接指向的划线已失联：文章中已没有它的原文。可在划线面板中重新关联。",
    # ---- backup and restore
    "Replace the file?": "替换这个文件吗？",
    "“{path}” already exists. Replace it? Its current contents will be lost.":
        "“{path}”已存在。要替换它吗？它现在的内容将会丢失。",
    "Nothing was exported: “{path}” was kept.": "没有导出：“{path}”保持不变。",
    "Open the restored library": "打开恢复的文库",
    "Back up library": "备份文库",
    "Backing up the library…": "正在备份文库…",
    "Restoring {name}…": "正在恢复 {name}…",
    "Into {path}; the search index is rebuilt there.": "恢复到 {path}；会在那里重建搜索索引。",
    "The library is backed up": "文库已备份",
    "{articles} articles and {highlights} highlights in {path} ({size}). Restore it with "
    "File → Restore from backup…": "{articles} 篇文章、{highlights} 条划线，保存在 {path}（{size}）。"
    "可通过“文件 → 从备份恢复…”恢复。",
    "The backup is restored": "备份已恢复",
    "{articles} articles and {highlights} highlights are in the library at {path}. This window "
    "stays on your current library.": "{articles} 篇文章、{highlights} 条划线已恢复到 {path} 的文库。"
    "本窗口仍使用当前的文库。",
    "The backup failed": "备份失败",
    "The restore failed": "恢复失败",
    "Pizhu backup (*.zip)": "批注备份 (*.zip)",
    "Choose a backup to restore": "选择要恢复的备份",
    "Pizhu backup (*.zip);;All files (*)": "批注备份 (*.zip);;所有文件 (*)",
    "Choose a new, empty folder for the restored library": "为恢复的文库选择一个新的空文件夹",
    "That is the open library. Choose a new, empty folder.": "这是正在使用的文库。请选择一个新的空文件夹。",
    "“{path}” is a file. Choose a new, empty folder.": "“{path}”是一个文件。请选择一个新的空文件夹。",
    "“{path}” is not empty. Choose a new, empty folder: nothing in your current library is "
    "replaced by a restore.": "“{path}”不是空的。请选择一个新的空文件夹：恢复不会替换当前文库中的任何内容。",
    # ---- version history
    "Deleted": "删除",
    "Inserted": "插入",
    "Line {line}": "第 {line} 行",
    "re-imported from {name}": "从 {name} 重新导入",
    "merged with {title}": "与{title}合并",
    "split off its end as a new article": "末尾拆分为新文章",
    "Version history": "版本历史",
    "Version": "版本",
    "Since": "起始时间",
    "Characters": "字数",
    "Compare with the current text": "与当前文本比较",
    "Show what changed from the chosen version to today's text, instead of what the chosen "
    "version changed": "显示从所选版本到当前文本的全部改动，而不是所选版本本身带来的改动",
    "Show the whole text": "显示全文",
    "The whole text with the changes marked, instead of only the changed places":
        "显示标出改动的全文，而不只是改动之处",
    "Struck through on red: deleted · underlined on green: inserted":
        "红底删除线：删去的文字 · 绿底下划线：新增的文字",
    "Versions of “{title}”": "“{title}”的各个版本",
    "This article has only ever had one text. When a corrected version is imported, the "
    "earlier text is kept here.": "这篇文章只有一个版本。导入更正后的版本时，之前的文本会保留在这里。",
    "Earlier texts are kept when a corrected version is imported, or the article is merged or "
    "split. Choose a version to see what it changed.":
        "导入更正版本、合并或拆分文章时，之前的文本都会保留。选择一个版本，查看它改动了什么。",
    "{n} (current)": "{n}（当前）",
    "first imported": "首次导入",
    "Version {n}: the text as first imported, {chars} characters.": "版本 {n}：首次导入的文本，共 {chars} 字。",
    "The first version: nothing to compare it with. Tick “Show the whole text” to read it.":
        "这是第一个版本，没有可比较的对象。勾选“显示全文”即可阅读。",
    "Comparing version {old} with version {new}…": "正在比较版本 {old} 和版本 {new}…",
    "Comparing…": "正在比较…",
    "Title: “{old}” → “{new}”": "标题：“{old}” → “{new}”",
    "Version {old} → {new}: the text is the same.": "版本 {old} → {new}：正文相同。",
    "Version {old} → {new} · places changed: {places} · characters deleted: {deleted}, "
    "inserted: {inserted}": "版本 {old} → {new} · 改动 {places} 处 · 删去 {deleted} 字，新增 {inserted} 字",
    "No change in the text.": "正文没有改动。",
    "Could not compare the versions: {reason}": "无法比较这两个版本：{reason}",
    # ---- export and import of annotations
    "Markdown — to read; links open Pizhu at each passage": "Markdown——便于阅读；链接可直接打开对应段落",
    "JSON — W3C Web Annotation; can be imported again": "JSON——W3C Web Annotation 格式；可以再次导入",
    "CSV — for spreadsheets": "CSV——用于电子表格",
    "Markdown (*.md)": "Markdown (*.md)",
    "Web Annotation JSON (*.json *.jsonld)": "Web Annotation JSON (*.json *.jsonld)",
    "CSV (*.csv)": "CSV (*.csv)",
    "Export annotations": "导出划线与批注",
    "The open article: “{title}”": "当前文章：“{title}”",
    "The open article": "当前文章",
    "The articles selected in the list ({n})": "列表中选中的文章（{n} 篇）",
    "Highlights tagged": "带有标签的划线",
    "The whole library": "整个文库",
    "all of them": "全部标签",
    "any of them": "任一标签",
    "Include orphaned highlights (their text is gone from the article)":
        "包括失联的划线（文章中已没有它们的原文）",
    "One file per article, into a folder": "每篇文章一个文件，保存到文件夹",
    "Choose…": "选择…",
    "Export:": "导出：",
    "Format:": "格式：",
    "Save to:": "保存到：",
    "Export": "导出",
    "Show the file": "显示文件",
    "Choose the folder to write the files into": "选择保存文件的文件夹",
    "Choose the file to write": "选择要保存的文件",
    "Export into a folder": "导出到文件夹",
    "Choose what to export: type the tags, or pick another option.": "请选择要导出的内容：输入标签，或选择其他选项。",
    "Choose where to save the export.": "请选择导出的保存位置。",
    "“{path}” is not an existing folder.": "“{path}”不是已有的文件夹。",
    "“{path}” is a folder: give a file name.": "“{path}”是文件夹：请给出文件名。",
    "Exporting…": "正在导出…",
    "Exported {highlights} highlights from {articles} articles to {path}":
        "已将 {articles} 篇文章中的 {highlights} 条划线导出到 {path}",
    "Wrote {n} files to {path}": "已将 {n} 个文件写入 {path}",
    "The export failed: {reason}": "导出失败：{reason}",
    "Annotation": "标注",
    "Why it was skipped": "跳过的原因",
    "Importing annotations from {name}…": "正在从 {name} 导入划线与批注…",
    "{total} annotations in {name}": "{name} 中有 {total} 条标注",
    "New highlights: {n}": "新增划线：{n} 条",
    "Updated with a newer version: {n}": "用较新的版本更新：{n} 条",
    "Already in the library: {n}": "文库中已有：{n} 条",
    "Orphaned — their text is not in the article, kept so you can re-attach them: {n}":
        "失联——文章中找不到原文，已保留以便重新关联：{n} 条",
    "Skipped: {n}": "跳过：{n} 条",
    "Undo this import": "撤销这次导入",
    "Put every highlight this import changed back as it was, and remove the ones it added":
        "把这次导入改动的划线恢复原样，并移除它新增的划线",
    "The import was undone": "已撤销这次导入",
    "Highlights put back as they were: {n}": "恢复原样的划线：{n} 条",
    "New highlights removed: {n}": "移除的新增划线：{n} 条",
    "Changed since the import, left as they are: {n}": "导入后又改过、保持不动的划线：{n} 条",
    "The import could not be undone: {reason}": "无法撤销这次导入：{reason}",
    "The annotations could not be imported": "无法导入这些划线与批注",
    "its article is not in this library": "它所在的文章不在这个文库中",
    "the annotation has no id": "这条标注没有 id",
    "the annotation has no target": "这条标注没有目标",
    "the annotation says nowhere which text it marks": "这条标注没有说明它标记的是哪段文字",
    "its position is outside the article and it has no quote": "它的位置超出了文章范围，且没有原文",
    # ---- managing articles and tags (article_manage, article_edit_dialog; issue 14)
    "(several values; leave empty to keep them)": "（多个不同的值；留空则保持不变）",
    "An article needs a title.": "文章需要一个标题。",
    "Byline": "作者",
    "Edit article details": "编辑文章信息",
    "Link": "链接",
    "Set {field}": "设置{field}",
    "Subtitle": "副题",
    "The changes apply to all {n} selected articles.": "修改将应用于选中的全部 {n} 篇文章。",
    "YYYY-MM-DD, e.g. 2026-01-05": "年-月-日，例如 2026-01-05",
    "e.g. the newspaper's name": "例如报纸的名称",
    "{n} articles": "{n} 篇文章",
    "“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-05.":
        "“{text}”不是日期：请写成 年-月-日，例如 2026-01-05。",
    "Articles in the trash keep their highlights.": "回收站中的文章保留其划线。",
    "Empty trash…": "清空回收站…",
    "Empty trash": "清空回收站",
    "Put the selected articles back": "恢复选中的文章",
    "Restore": "恢复",
    "articles without a source": "无来源的文章",
    "the trash": "回收站",
    "Trash": "回收站",
    "A tag cannot move under itself.": "标签不能移到它自己下面。",
    "Add tags": "添加标签",
    "Add tags…": "添加标签…",
    "Choose or type the tag to merge into.": "请选择或输入要合并到的标签。",
    "Ctrl+Z undoes it.": "按 Ctrl+Z 可撤销。",
    "Delete for good": "永久删除",
    "Delete for good…": "永久删除…",
    "Delete tag": "删除标签",
    "Delete tag “{name}”": "删除标签“{name}”",
    "Delete {n} article(s)": "删除 {n} 篇文章",
    "Delete {n} article(s) and their highlights for good? This cannot be undone.":
        "永久删除 {n} 篇文章及其划线？此操作无法撤销。",
    "Delete…": "删除…",
    "Edit details of {n} articles…": "编辑 {n} 篇文章的信息…",
    "Edit details…": "编辑信息…",
    "Edit {n} article(s)": "编辑 {n} 篇文章",
    "Give the tag a name.": "请给标签起个名字。",
    "Merge into…": "合并到…",
    "Merge tags": "合并标签",
    "Merge tags into “{name}”": "将标签合并到“{name}”",
    "Merge these tags into…": "将这些标签合并到…",
    "Merge {names} ({usage}) into the tag:": "将 {names}（{usage}）合并到标签：",
    "Move to trash": "移到回收站",
    "Move {n} articles to trash": "将 {n} 篇文章移到回收站",
    "Remove the tag “{name}” from {usage}?": "从{usage}上移除标签“{name}”？",
    "Rename tag": "重命名标签",
    "Rename tag “{name}”": "重命名标签“{name}”",
    "Rename “{name}” on {usage}.": "重命名{usage}上的“{name}”。",
    "Rename…": "重命名…",
    "Restore {n} article(s)": "恢复 {n} 篇文章",
    "Set date…": "设置日期…",
    "Set source…": "设置来源…",
    "Tags to add to {n} article(s); use / to nest (政策/京津冀)":
        "为 {n} 篇文章添加的标签；用 / 表示层级（政策/京津冀）",
    "The {n} tag(s) under it go too.": "其下的 {n} 个标签也一并删除。",
    "The {n} tag(s) under it move along.": "其下的 {n} 个标签随之移动。",
    "Use / to nest (政策/京津冀); an existing name merges the two.":
        "用 / 表示层级（政策/京津冀）；改成已有的名字则两者合并。",
    "{a} article(s) and {h} highlight(s)": "{a} 篇文章和 {h} 条划线",
    "{n} article(s) changed.": "已修改 {n} 篇文章。",
    "{n} article(s) deleted for good.": "已永久删除 {n} 篇文章。",
    "{n} article(s) moved to the trash. Ctrl+Z restores them.":
        "已将 {n} 篇文章移到回收站。按 Ctrl+Z 可恢复。",
    "{n} article(s) restored from the trash.": "已从回收站恢复 {n} 篇文章。",
    "{usage} changed. Ctrl+Z undoes it.": "已修改{usage}。按 Ctrl+Z 可撤销。",
    # ---- issue 14 (GUI helper): date filter, undo scope, layout, recall filters, read state
    "Pick a day": "选择日期",
    "Not a date: type 2026-01-15, 2026-1 or 2026": "不是日期：请输入 2026-01-15、2026-1 或 2026",
    "Articles dated on or after this day (2026-01-15, 2026-1 or 2026)":
        "此日期及之后的文章（可输入 2026-01-15、2026-1 或 2026）",
    "Articles dated on or before this day (2026-01-15, 2026-1 or 2026)":
        "此日期及之前的文章（可输入 2026-01-15、2026-1 或 2026）",
    "Dates": "日期",
    "Quick date ranges, and the articles without a date": "常用日期范围，以及没有日期的文章",
    "Today": "今天",
    "Last 7 days": "最近 7 天",
    "This month": "本月",
    "This year": "今年",
    "Undated articles": "无日期的文章",
    "Any date": "任意日期",
    "Undated": "无日期",
    "Article {date}": "文章 {date}",
    "Highlighted {date}": "划线于 {date}",
    "Article of %1": "文章日期 %1",
    "&Reading mode": "阅读模式(&R)",
    "Only the article: hide the list and the panels": "只看文章：隐藏列表和侧栏",
    "Hi&ghlight": "划线(&G)",
    "“{title}” was joined to the article before it. Undo ({key}) splits it off again.":
        "“{title}”已并入前一篇文章。撤销（{key}）可再拆开。",
    "Merge “{title}”": "合并“{title}”",
    "“{title}” is now an article of its own. Undo ({key}) merges it back.":
        "“{title}”已成为单独的文章。撤销（{key}）可合并回去。",
    "Split “{title}”": "拆分“{title}”",
    "Mark as unread": "标为未读",
    "Mark as read": "标为已读",
    "All colours": "全部颜色",
    "Only the highlights of one colour": "只看一种颜色的划线",
    "&Undo {what}": "撤销“{what}”(&U)",
    "&Redo {what}": "重做“{what}”(&R)",
    "Undone: {what}": "已撤销：{what}",
    "Redone: {what}": "已重做：{what}",
    " (in “{title}”)": "（在“{title}”中）",
    # the annotation library (issue 17)
    "Oldest first": "最早在前",
    "By colour": "按颜色",
    "Only the highlights in articles from one source": "只看某一来源文章中的划线",
    "With orphans": "含失联划线",
    "Only orphans": "只看失联划线",
    "Without orphans": "不含失联划线",
    "Orphans": "失联划线",
    "Orphans: highlights whose text is gone from the current version of their article":
        "失联划线：文字已不在文章当前版本中的划线",
    "Add tags to the selected highlights, or remove one": "给选中的划线添加标签，或去掉一个标签",
    "Give the selected highlights one colour": "把选中的划线改成同一种颜色",
    "Export…": "导出…",
    "Export the selected highlights (Markdown, JSON or CSV)": "导出选中的划线（Markdown、JSON 或 CSV）",
    "Delete the selected highlights (Undo brings them back)": "删除选中的划线（可撤销）",
    "Tag 1 highlight": "给 1 条划线加标签",
    "Tag %1 highlights": "给 %1 条划线加标签",
    "Untag 1 highlight": "去掉 1 条划线的标签",
    "Untag %1 highlights": "去掉 %1 条划线的标签",
    "Recolour 1 highlight": "给 1 条划线改色",
    "Recolour %1 highlights": "给 %1 条划线改色",
    "Delete 1 highlight": "删除 1 条划线",
    "Delete %1 highlights": "删除 %1 条划线",
    "1 selected": "已选 1 条",
    "%1 selected": "已选 %1 条",
    "Remove tag": "去掉标签",
    "Tags for the selected highlights (separate them with commas):": "给选中划线的标签（用逗号分隔）：",
    "Export highlights": "导出划线",
    "Markdown (*.md);;Web Annotation JSON (*.json);;CSV (*.csv)":
        "Markdown (*.md);;Web Annotation JSON (*.json);;CSV (*.csv)",
    "No source": "无来源",
    # templated export (issue 17)
    "None — Pizhu's own layout": "不用模板——Pizhu 自带格式",
    "Plain — headings, quotes and notes": "简洁——标题、引文和批注",
    "Obsidian / Logseq — front matter, #tags, a callout per highlight":
        "Obsidian / Logseq——文件头属性、#标签、每条划线一个标注块",
    "My own template file (Jinja2)": "我自己的模板文件（Jinja2）",
    "Template": "模板",
    "Template:": "模板：",
    "A template writes one file per article into a folder and updates those files on the next "
    "export; text you add outside Pizhu's marked block is kept":
        "模板为每篇文章在文件夹中写一个文件，下次导出时原地更新；你在 Pizhu 标记区块之外写的内容会保留",
    "Template file": "模板文件",
    "Only articles whose highlights changed since the last export into that folder":
        "只导出自上次导出到该文件夹以来划线有变化的文章",
    "Choose a template": "选择模板",
    "Templates (*.j2 *.jinja *.md *.txt);;All files (*)": "模板 (*.j2 *.jinja *.md *.txt);;所有文件 (*)",
    "A template writes one file per article: choose a folder.": "模板为每篇文章写一个文件：请选择文件夹。",
    "Wrote {n} files to {path} ({same} unchanged, {left} left alone)":
        "已写入 {n} 个文件到 {path}（{same} 个无变化，{left} 个未改动）",
    # daily review (issue 17)
    "Review": "复习",
    "Daily review of your highlights (of the tags typed here, if any): 1–4 to answer":
        "每日复习划线（若此处填了标签，只复习这些标签的划线）：按 1–4 作答",
    "Daily review": "每日复习",
    "Highlights a day": "每天的划线数",
    "Highlights tagged {tags}": "标签为 {tags} 的划线",
    "All highlights": "全部划线",
    "A day:": "每天：",
    "1 Again": "1 忘了",
    "2 Hard": "2 困难",
    "3 Good": "3 记得",
    "4 Easy": "4 容易",
    "K Keep": "K 保留",
    "R Retire": "R 不再复习",
    "Forgotten: show it again soon": "忘了：很快再看一次",
    "Hard to recall: a short interval": "想起来很吃力：间隔短一些",
    "Recalled: the usual interval": "记得：正常间隔",
    "Easy: a long interval": "很容易：间隔长一些",
    "Keep it in the rotation": "留在复习中",
    "Never show it again": "以后不再出现",
    "O Open": "O 打开",
    "Open the passage in its article (O or Enter)": "在文章中打开这段文字（O 或回车）",
    "S Skip": "S 跳过",
    "Loading…": "加载中…",
    "Done for today: {n} answered.": "今天完成了：已答 {n} 条。",
    "Done for today.": "今天完成了。",
    "Nothing to review today. New highlights join the review a few a day; answered ones come "
    "back when they are due.": "今天没有要复习的。新划线每天加入几条；答过的到期后会再出现。",
    "{i} of {n}": "第 {i} / {n} 条",
    "New": "新",
    "Due": "到期",
    "Note: {note}": "批注：{note}",
    "Daily &review…": "每日复习(&R)…",
    # ---- sync (issue 16: reader/ui/sync_ui.py)
    "S&ync now": "立即同步(&Y)",
    "S&ync settings…": "同步设置(&Y)…",
    "Syncing…": "正在同步…",
    "Sync failed: {reason}": "同步失败：{reason}",
    "Synced {when}": "已同步 {when}",
    "Not synced yet": "尚未同步",
    "%n change(s) waiting": "%n 处改动待同步",
    "Sync": "同步",
    "Keep this library in step with your other computers. Pizhu writes its changes as small "
    "files into a folder or onto a WebDAV server and reads the others' files; the library "
    "database itself is never copied.": "让这个文库与你的其他电脑保持一致。批注把改动写成小文件，"
    "放进一个文件夹或 WebDAV 服务器，再读取其他电脑的文件；文库数据库本身从不复制。",
    "A folder kept in sync by Syncthing, Nextcloud, 坚果云, Dropbox…":
        "由 Syncthing、Nextcloud、坚果云、Dropbox 等同步的文件夹",
    "A WebDAV server (坚果云, Nextcloud, a NAS)": "WebDAV 服务器（坚果云、Nextcloud、NAS）",
    "Folder": "文件夹",
    "kept in the system keyring": "保存在系统钥匙串中",
    "Address": "地址",
    "User": "用户名",
    "Password": "密码",
    "e.g. office laptop": "例如：办公室笔记本",
    "This computer's name": "本机名称",
    "Test connection": "测试连接",
    "Save and sync": "保存并同步",
    "Turn sync off": "关闭同步",
    "Choose the sync folder": "选择同步文件夹",
    "Choose a folder.": "请选择一个文件夹。",
    "The folder {path} does not exist.": "文件夹 {path} 不存在。",
    "The sync folder must be outside the library folder.": "同步文件夹必须在文库文件夹之外。",
    "The address must start with https:// (or http://).": "地址必须以 https://（或 http://）开头。",
    "Give the user name.": "请填写用户名。",
    "Testing…": "正在测试…",
    "Connected: Pizhu can sync there.": "已连接：批注可以在这里同步。",
}


def main() -> int:
    tree = ET.parse(TS)
    root = tree.getroot()
    root.set("language", "zh_CN")
    missing = []
    for ctx in root.iter("context"):
        cname = ctx.findtext("name")
        for msg in ctx.iter("message"):
            src = msg.findtext("source")
            text = ZH.get((cname, src), ZH.get(src))
            tr = msg.find("translation")
            if text is None:
                missing.append(f"{cname}: {src!r}")
                continue
            for child in list(tr):
                tr.remove(child)
            if msg.get("numerus") == "yes":
                tr.text = None
                form = ET.SubElement(tr, "numerusform")
                form.text = text
            else:
                tr.text = text
            tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    with open(TS, "a", encoding="utf-8") as f:
        f.write("\n")
    for m in missing:
        print("no translation:", m, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
