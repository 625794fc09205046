<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AnnotationsPanel</name>
        <message>
            <source>Highlights</source>
            <translation>划线</translation>
        </message>
        <message>
            <source>Delete highlight</source>
            <translation>删除划线</translation>
        </message>
        <message>
            <source>Orphaned highlights</source>
            <translation>失联的划线</translation>
        </message>
        <message>
            <source>Re-attach to selection</source>
            <translation>重新关联到选中文字</translation>
        </message>
        <message>
            <source>Select the passage in the article, then attach this highlight to it</source>
            <translation>先在文章中选中一段文字，再把这条划线关联过去</translation>
        </message>
        <message>
            <source>Discard</source>
            <translation>丢弃</translation>
        </message>
        <message>
            <source>The text of these highlights is no longer in the article. Re-attach one to a new selection, or discard it.</source>
            <translation>这些划线的原文已不在文章中。可以把它关联到新选中的文字，或者丢弃。</translation>
        </message>
        <message>
            <source>Open an article to see its highlights.</source>
            <translation>打开一篇文章，即可在这里看到它的划线。</translation>
        </message>
        <message>
            <source>No highlights yet.
Select text in the article and pick a colour.</source>
            <translation>还没有划线。
在文章中选中文字，再选一种颜色。</translation>
        </message>
        <message>
            <source>Discard orphaned highlight</source>
            <translation>丢弃失联的划线</translation>
        </message>
        <message>
            <source>Change highlight colour</source>
            <translation>更改划线颜色</translation>
        </message>
        <message>
            <source>Go to passage</source>
            <translation>跳到这段文字</translation>
        </message>
        <message>
            <source>Edit note and tags…</source>
            <translation>编辑批注和标签…</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>颜色</translation>
        </message>
        <message>
            <source>Copy quote</source>
            <translation>复制原文</translation>
        </message>
    </context>
    <context>
        <name>ArticleEditDialog</name>
        <message>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <source>Subtitle</source>
            <translation>副题</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Byline</source>
            <translation>作者</translation>
        </message>
        <message>
            <source>Link</source>
            <translation>链接</translation>
        </message>
        <message>
            <source>Edit article details</source>
            <translation>编辑文章信息</translation>
        </message>
        <message>
            <source>Set {field}</source>
            <translation>设置{field}</translation>
        </message>
        <message>
            <source>{n} articles</source>
            <translation>{n} 篇文章</translation>
        </message>
        <message>
            <source>(several values; leave empty to keep them)</source>
            <translation>（多个不同的值；留空则保持不变）</translation>
        </message>
        <message>
            <source>YYYY-MM-DD, e.g. 2026-01-05</source>
            <translation>年-月-日，例如 2026-01-05</translation>
        </message>
        <message>
            <source>e.g. the newspaper's name</source>
            <translation>例如报纸的名称</translation>
        </message>
        <message>
            <source>The changes apply to all {n} selected articles.</source>
            <translation>修改将应用于选中的全部 {n} 篇文章。</translation>
        </message>
        <message>
            <source>“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-05.</source>
            <translation>“{text}”不是日期：请写成 年-月-日，例如 2026-01-05。</translation>
        </message>
        <message>
            <source>An article needs a title.</source>
            <translation>文章需要一个标题。</translation>
        </message>
    </context>
    <context>
        <name>ArticleListPane</name>
        <message>
            <source>Filter by title  (Ctrl+L)</source>
            <translation>按标题筛选  (Ctrl+L)</translation>
        </message>
        <message>
            <source>Unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <source>Show only articles not read yet</source>
            <translation>只显示还没读过的文章</translation>
        </message>
        <message>
            <source>Clear filters</source>
            <translation>清除筛选</translation>
        </message>
        <message numerus="yes">
            <source>%n article(s)</source>
            <translation>
                <numerusform>%n 篇文章</numerusform>
            </translation>
        </message>
        <message>
            <source>{shown} of {total}</source>
            <translation>{shown} / {total}</translation>
        </message>
        <message>
            <source>the trash</source>
            <translation>回收站</translation>
        </message>
        <message>
            <source>articles without a source</source>
            <translation>无来源的文章</translation>
        </message>
        <message>
            <source>source: {name}</source>
            <translation>来源：{name}</translation>
        </message>
        <message>
            <source>tags: {names}</source>
            <translation>标签：{names}</translation>
        </message>
        <message>
            <source>Articles in the trash keep their highlights.</source>
            <translation>回收站中的文章保留其划线。</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <source>Put the selected articles back</source>
            <translation>恢复选中的文章</translation>
        </message>
        <message>
            <source>Empty trash…</source>
            <translation>清空回收站…</translation>
        </message>
    </context>
    <context>
        <name>ArticleManager</name>
        <message>
            <source>Move to trash</source>
            <translation>移到回收站</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <source>Delete for good…</source>
            <translation>永久删除…</translation>
        </message>
        <message>
            <source>Empty trash…</source>
            <translation>清空回收站…</translation>
        </message>
        <message>
            <source>Edit details…</source>
            <translation>编辑信息…</translation>
        </message>
        <message>
            <source>Edit details of {n} articles…</source>
            <translation>编辑 {n} 篇文章的信息…</translation>
        </message>
        <message>
            <source>Set source…</source>
            <translation>设置来源…</translation>
        </message>
        <message>
            <source>Set date…</source>
            <translation>设置日期…</translation>
        </message>
        <message>
            <source>Add tags…</source>
            <translation>添加标签…</translation>
        </message>
        <message>
            <source>Move {n} articles to trash</source>
            <translation>将 {n} 篇文章移到回收站</translation>
        </message>
        <message>
            <source>Delete {n} article(s)</source>
            <translation>删除 {n} 篇文章</translation>
        </message>
        <message>
            <source>{n} article(s) moved to the trash. Ctrl+Z restores them.</source>
            <translation>已将 {n} 篇文章移到回收站。按 Ctrl+Z 可恢复。</translation>
        </message>
        <message>
            <source>Restore {n} article(s)</source>
            <translation>恢复 {n} 篇文章</translation>
        </message>
        <message>
            <source>{n} article(s) restored from the trash.</source>
            <translation>已从回收站恢复 {n} 篇文章。</translation>
        </message>
        <message>
            <source>Empty trash</source>
            <translation>清空回收站</translation>
        </message>
        <message>
            <source>Delete {n} article(s) and their highlights for good? This cannot be undone.</source>
            <translation>永久删除 {n} 篇文章及其划线？此操作无法撤销。</translation>
        </message>
        <message>
            <source>Delete for good</source>
            <translation>永久删除</translation>
        </message>
        <message>
            <source>{n} article(s) deleted for good.</source>
            <translation>已永久删除 {n} 篇文章。</translation>
        </message>
        <message>
            <source>Edit {n} article(s)</source>
            <translation>编辑 {n} 篇文章</translation>
        </message>
        <message>
            <source>{n} article(s) changed.</source>
            <translation>已修改 {n} 篇文章。</translation>
        </message>
        <message>
            <source>Add tags</source>
            <translation>添加标签</translation>
        </message>
        <message>
            <source>Tags to add to {n} article(s); use / to nest (政策/京津冀)</source>
            <translation>为 {n} 篇文章添加的标签；用 / 表示层级（政策/京津冀）</translation>
        </message>
        <message>
            <source>Merge these tags into…</source>
            <translation>将这些标签合并到…</translation>
        </message>
        <message>
            <source>Rename…</source>
            <translation>重命名…</translation>
        </message>
        <message>
            <source>Merge into…</source>
            <translation>合并到…</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>删除…</translation>
        </message>
        <message>
            <source>{a} article(s) and {h} highlight(s)</source>
            <translation>{a} 篇文章和 {h} 条划线</translation>
        </message>
        <message>
            <source>Rename “{name}” on {usage}.</source>
            <translation>重命名{usage}上的“{name}”。</translation>
        </message>
        <message>
            <source>The {n} tag(s) under it move along.</source>
            <translation>其下的 {n} 个标签随之移动。</translation>
        </message>
        <message>
            <source>Use / to nest (政策/京津冀); an existing name merges the two.</source>
            <translation>用 / 表示层级（政策/京津冀）；改成已有的名字则两者合并。</translation>
        </message>
        <message>
            <source>Give the tag a name.</source>
            <translation>请给标签起个名字。</translation>
        </message>
        <message>
            <source>A tag cannot move under itself.</source>
            <translation>标签不能移到它自己下面。</translation>
        </message>
        <message>
            <source>Rename tag</source>
            <translation>重命名标签</translation>
        </message>
        <message>
            <source>Merge {names} ({usage}) into the tag:</source>
            <translation>将 {names}（{usage}）合并到标签：</translation>
        </message>
        <message>
            <source>Choose or type the tag to merge into.</source>
            <translation>请选择或输入要合并到的标签。</translation>
        </message>
        <message>
            <source>Merge tags</source>
            <translation>合并标签</translation>
        </message>
        <message>
            <source>Remove the tag “{name}” from {usage}?</source>
            <translation>从{usage}上移除标签“{name}”？</translation>
        </message>
        <message>
            <source>The {n} tag(s) under it go too.</source>
            <translation>其下的 {n} 个标签也一并删除。</translation>
        </message>
        <message>
            <source>Ctrl+Z undoes it.</source>
            <translation>按 Ctrl+Z 可撤销。</translation>
        </message>
        <message>
            <source>Delete tag</source>
            <translation>删除标签</translation>
        </message>
        <message>
            <source>{usage} changed. Ctrl+Z undoes it.</source>
            <translation>已修改{usage}。按 Ctrl+Z 可撤销。</translation>
        </message>
        <message>
            <source>Rename tag “{name}”</source>
            <translation>重命名标签“{name}”</translation>
        </message>
        <message>
            <source>Merge tags into “{name}”</source>
            <translation>将标签合并到“{name}”</translation>
        </message>
        <message>
            <source>Delete tag “{name}”</source>
            <translation>删除标签“{name}”</translation>
        </message>
    </context>
    <context>
        <name>ArticleTableModel</name>
        <message>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Source (outlet or account)</source>
            <translation>来源（媒体或公众号）</translation>
        </message>
        <message>
            <source>Number of highlights</source>
            <translation>划线数</translation>
        </message>
        <message>
            <source>Read or unread</source>
            <translation>已读或未读</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>已读</translation>
        </message>
        <message>
            <source>Unread</source>
            <translation>未读</translation>
        </message>
        <message>
            <source>No highlights</source>
            <translation>没有划线</translation>
        </message>
        <message>
            <source>Highlights: {n}</source>
            <translation>划线：{n} 条</translation>
        </message>
        <message>
            <source>Orphaned: {n} — their text is gone from the current version; re-attach or discard them in the annotations panel</source>
            <translation>失联：{n} 条——当前版本中已没有它们的原文；可在划线面板中重新关联或丢弃</translation>
        </message>
    </context>
    <context>
        <name>BackupDialog</name>
        <message>
            <source>Open the restored library</source>
            <translation>打开恢复的文库</translation>
        </message>
        <message>
            <source>Back up library</source>
            <translation>备份文库</translation>
        </message>
        <message>
            <source>Backing up the library…</source>
            <translation>正在备份文库…</translation>
        </message>
        <message>
            <source>Restore from backup</source>
            <translation>从备份恢复</translation>
        </message>
        <message>
            <source>Restoring {name}…</source>
            <translation>正在恢复 {name}…</translation>
        </message>
        <message>
            <source>Into {path}; the search index is rebuilt there.</source>
            <translation>恢复到 {path}；会在那里重建搜索索引。</translation>
        </message>
        <message>
            <source>The library is backed up</source>
            <translation>文库已备份</translation>
        </message>
        <message>
            <source>{articles} articles and {highlights} highlights in {path} ({size}). Restore it with File → Restore from backup…</source>
            <translation>{articles} 篇文章、{highlights} 条划线，保存在 {path}（{size}）。可通过“文件 → 从备份恢复…”恢复。</translation>
        </message>
        <message>
            <source>The backup is restored</source>
            <translation>备份已恢复</translation>
        </message>
        <message>
            <source>{articles} articles and {highlights} highlights are in the library at {path}. This window stays on your current library.</source>
            <translation>{articles} 篇文章、{highlights} 条划线已恢复到 {path} 的文库。本窗口仍使用当前的文库。</translation>
        </message>
        <message>
            <source>The backup failed</source>
            <translation>备份失败</translation>
        </message>
        <message>
            <source>The restore failed</source>
            <translation>恢复失败</translation>
        </message>
        <message>
            <source>Replace the file?</source>
            <translation>替换这个文件吗？</translation>
        </message>
        <message>
            <source>“{path}” already exists. Replace it? Its current contents will be lost.</source>
            <translation>“{path}”已存在。要替换它吗？它现在的内容将会丢失。</translation>
        </message>
        <message>
            <source>Pizhu backup (*.zip)</source>
            <translation>批注备份 (*.zip)</translation>
        </message>
        <message>
            <source>Choose a backup to restore</source>
            <translation>选择要恢复的备份</translation>
        </message>
        <message>
            <source>Pizhu backup (*.zip);;All files (*)</source>
            <translation>批注备份 (*.zip);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Choose a new, empty folder for the restored library</source>
            <translation>为恢复的文库选择一个新的空文件夹</translation>
        </message>
        <message>
            <source>That is the open library. Choose a new, empty folder.</source>
            <translation>这是正在使用的文库。请选择一个新的空文件夹。</translation>
        </message>
        <message>
            <source>“{path}” is a file. Choose a new, empty folder.</source>
            <translation>“{path}”是一个文件。请选择一个新的空文件夹。</translation>
        </message>
        <message>
            <source>“{path}” is not empty. Choose a new, empty folder: nothing in your current library is replaced by a restore.</source>
            <translation>“{path}”不是空的。请选择一个新的空文件夹：恢复不会替换当前文库中的任何内容。</translation>
        </message>
    </context>
    <context>
        <name>DateField</name>
        <message>
            <source>Pick a day</source>
            <translation>选择日期</translation>
        </message>
        <message>
            <source>Not a date: type 2026-01-15, 2026-1 or 2026</source>
            <translation>不是日期：请输入 2026-01-15、2026-1 或 2026</translation>
        </message>
    </context>
    <context>
        <name>DateFilterBar</name>
        <message>
            <source>From</source>
            <translation>起始日期</translation>
        </message>
        <message>
            <source>Articles dated on or after this day (2026-01-15, 2026-1 or 2026)</source>
            <translation>此日期及之后的文章（可输入 2026-01-15、2026-1 或 2026）</translation>
        </message>
        <message>
            <source>To</source>
            <translation>截止日期</translation>
        </message>
        <message>
            <source>Articles dated on or before this day (2026-01-15, 2026-1 or 2026)</source>
            <translation>此日期及之前的文章（可输入 2026-01-15、2026-1 或 2026）</translation>
        </message>
        <message>
            <source>Dates</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Quick date ranges, and the articles without a date</source>
            <translation>常用日期范围，以及没有日期的文章</translation>
        </message>
        <message>
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <source>Last 7 days</source>
            <translation>最近 7 天</translation>
        </message>
        <message>
            <source>This month</source>
            <translation>本月</translation>
        </message>
        <message>
            <source>This year</source>
            <translation>今年</translation>
        </message>
        <message>
            <source>Undated articles</source>
            <translation>无日期的文章</translation>
        </message>
        <message>
            <source>Any date</source>
            <translation>任意日期</translation>
        </message>
        <message>
            <source>Undated</source>
            <translation>无日期</translation>
        </message>
    </context>
    <context>
        <name>DiffView</name>
        <message>
            <source>Deleted</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Inserted</source>
            <translation>插入</translation>
        </message>
        <message>
            <source>Line {line}</source>
            <translation>第 {line} 行</translation>
        </message>
    </context>
    <context>
        <name>EmptyState</name>
        <message>
            <source>Welcome to Pizhu 批注</source>
            <translation>欢迎使用批注</translation>
        </message>
        <message>
            <source>A quiet place to read Chinese news, highlight what matters, and find it again.
Your library is empty — import WeChat exports, newspaper pages or plain text files.</source>
            <translation>安静地读新闻，划下要紧的句子，日后随时找回。
文库还是空的——导入公众号导出文件、报纸版面或纯文本文件吧。</translation>
        </message>
        <message>
            <source>Import files…</source>
            <translation>导入文件…</translation>
        </message>
        <message>
            <source>Import a folder…</source>
            <translation>导入文件夹…</translation>
        </message>
        <message>
            <source>Load the sample library</source>
            <translation>载入示例文库</translation>
        </message>
        <message>
            <source>You can also drop files or folders anywhere on this window. Everything stays on this computer.</source>
            <translation>也可以把文件或文件夹直接拖进窗口。所有内容都只保存在这台电脑上。</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>Markdown — to read; links open Pizhu at each passage</source>
            <translation>Markdown——便于阅读；链接可直接打开对应段落</translation>
        </message>
        <message>
            <source>JSON — W3C Web Annotation; can be imported again</source>
            <translation>JSON——W3C Web Annotation 格式；可以再次导入</translation>
        </message>
        <message>
            <source>CSV — for spreadsheets</source>
            <translation>CSV——用于电子表格</translation>
        </message>
        <message>
            <source>Markdown (*.md)</source>
            <translation>Markdown (*.md)</translation>
        </message>
        <message>
            <source>Web Annotation JSON (*.json *.jsonld)</source>
            <translation>Web Annotation JSON (*.json *.jsonld)</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Export annotations</source>
            <translation>导出划线与批注</translation>
        </message>
        <message>
            <source>The open article: “{title}”</source>
            <translation>当前文章：“{title}”</translation>
        </message>
        <message>
            <source>The open article</source>
            <translation>当前文章</translation>
        </message>
        <message>
            <source>The articles selected in the list ({n})</source>
            <translation>列表中选中的文章（{n} 篇）</translation>
        </message>
        <message>
            <source>Highlights tagged</source>
            <translation>带有标签的划线</translation>
        </message>
        <message>
            <source>The whole library</source>
            <translation>整个文库</translation>
        </message>
        <message>
            <source>all of them</source>
            <translation>全部标签</translation>
        </message>
        <message>
            <source>any of them</source>
            <translation>任一标签</translation>
        </message>
        <message>
            <source>Include orphaned highlights (their text is gone from the article)</source>
            <translation>包括失联的划线（文章中已没有它们的原文）</translation>
        </message>
        <message>
            <source>One file per article, into a folder</source>
            <translation>每篇文章一个文件，保存到文件夹</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>Export:</source>
            <translation>导出：</translation>
        </message>
        <message>
            <source>Format:</source>
            <translation>格式：</translation>
        </message>
        <message>
            <source>Template:</source>
            <translation>模板：</translation>
        </message>
        <message>
            <source>Save to:</source>
            <translation>保存到：</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Show the file</source>
            <translation>显示文件</translation>
        </message>
        <message>
            <source>Choose the folder to write the files into</source>
            <translation>选择保存文件的文件夹</translation>
        </message>
        <message>
            <source>Choose the file to write</source>
            <translation>选择要保存的文件</translation>
        </message>
        <message>
            <source>Export into a folder</source>
            <translation>导出到文件夹</translation>
        </message>
        <message>
            <source>Choose what to export: type the tags, or pick another option.</source>
            <translation>请选择要导出的内容：输入标签，或选择其他选项。</translation>
        </message>
        <message>
            <source>Choose where to save the export.</source>
            <translation>请选择导出的保存位置。</translation>
        </message>
        <message>
            <source>“{path}” is not an existing folder.</source>
            <translation>“{path}”不是已有的文件夹。</translation>
        </message>
        <message>
            <source>“{path}” is a folder: give a file name.</source>
            <translation>“{path}”是文件夹：请给出文件名。</translation>
        </message>
        <message>
            <source>Nothing was exported: “{path}” was kept.</source>
            <translation>没有导出：“{path}”保持不变。</translation>
        </message>
        <message>
            <source>A template writes one file per article: choose a folder.</source>
            <translation>模板为每篇文章写一个文件：请选择文件夹。</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <source>Wrote {n} files to {path} ({same} unchanged, {left} left alone)</source>
            <translation>已写入 {n} 个文件到 {path}（{same} 个无变化，{left} 个未改动）</translation>
        </message>
        <message>
            <source>Exported {highlights} highlights from {articles} articles to {path}</source>
            <translation>已将 {articles} 篇文章中的 {highlights} 条划线导出到 {path}</translation>
        </message>
        <message>
            <source>Wrote {n} files to {path}</source>
            <translation>已将 {n} 个文件写入 {path}</translation>
        </message>
        <message>
            <source>The export failed: {reason}</source>
            <translation>导出失败：{reason}</translation>
        </message>
    </context>
    <context>
        <name>FindBar</name>
        <message>
            <source>Find in article</source>
            <translation>在文章中查找</translation>
        </message>
        <message>
            <source>Previous match (Shift+F3)</source>
            <translation>上一个 (Shift+F3)</translation>
        </message>
        <message>
            <source>Next match (F3)</source>
            <translation>下一个 (F3)</translation>
        </message>
        <message>
            <source>Close (Esc)</source>
            <translation>关闭 (Esc)</translation>
        </message>
    </context>
    <context>
        <name>HighlightCardDelegate</name>
        <message>
            <source>Orphan</source>
            <translation>失联</translation>
        </message>
        <message>
            <source>Article {date}</source>
            <translation>文章 {date}</translation>
        </message>
        <message>
            <source>Highlighted {date}</source>
            <translation>划线于 {date}</translation>
        </message>
    </context>
    <context>
        <name>HighlightColors</name>
        <message>
            <source>Yellow</source>
            <translation>黄色</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>绿色</translation>
        </message>
        <message>
            <source>Blue</source>
            <translation>蓝色</translation>
        </message>
        <message>
            <source>Pink</source>
            <translation>粉色</translation>
        </message>
        <message>
            <source>Purple</source>
            <translation>紫色</translation>
        </message>
        <message>
            <source>Orange</source>
            <translation>橙色</translation>
        </message>
    </context>
    <context>
        <name>HighlightEditor</name>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete this highlight (undo with Ctrl+Z)</source>
            <translation>删除这条划线（可用 Ctrl+Z 撤销）</translation>
        </message>
        <message>
            <source>Write a note…</source>
            <translation>写批注…</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>批注</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Change highlight colour</source>
            <translation>更改划线颜色</translation>
        </message>
        <message>
            <source>Change highlight tags</source>
            <translation>更改划线标签</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>正在保存…</translation>
        </message>
        <message>
            <source>Delete highlight</source>
            <translation>删除划线</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>已保存</translation>
        </message>
        <message>
            <source>Not saved: %1</source>
            <translation>未保存：%1</translation>
        </message>
        <message>
            <source>Editing…</source>
            <translation>正在编辑…</translation>
        </message>
        <message>
            <source>Orphan — its text is gone from the article:</source>
            <translation>失联——原文已不在文章中：</translation>
        </message>
    </context>
    <context>
        <name>HighlightListModel</name>
        <message>
            <source>Article of %1</source>
            <translation>文章日期 %1</translation>
        </message>
        <message>
            <source>Highlighted %1</source>
            <translation>划于 %1</translation>
        </message>
        <message>
            <source>Orphan: its text is gone from the current version</source>
            <translation>失联：当前版本中已没有这段原文</translation>
        </message>
    </context>
    <context>
        <name>ImportAnnotationsDialog</name>
        <message>
            <source>its article is not in this library</source>
            <translation>它所在的文章不在这个文库中</translation>
        </message>
        <message>
            <source>the annotation has no id</source>
            <translation>这条标注没有 id</translation>
        </message>
        <message>
            <source>the annotation has no target</source>
            <translation>这条标注没有目标</translation>
        </message>
        <message>
            <source>the annotation says nowhere which text it marks</source>
            <translation>这条标注没有说明它标记的是哪段文字</translation>
        </message>
        <message>
            <source>its position is outside the article and it has no quote</source>
            <translation>它的位置超出了文章范围，且没有原文</translation>
        </message>
        <message>
            <source>Import annotations</source>
            <translation>导入划线与批注</translation>
        </message>
        <message>
            <source>Annotation</source>
            <translation>标注</translation>
        </message>
        <message>
            <source>Why it was skipped</source>
            <translation>跳过的原因</translation>
        </message>
        <message>
            <source>Undo this import</source>
            <translation>撤销这次导入</translation>
        </message>
        <message>
            <source>Put every highlight this import changed back as it was, and remove the ones it added</source>
            <translation>把这次导入改动的划线恢复原样，并移除它新增的划线</translation>
        </message>
        <message>
            <source>Importing annotations from {name}…</source>
            <translation>正在从 {name} 导入划线与批注…</translation>
        </message>
        <message>
            <source>{total} annotations in {name}</source>
            <translation>{name} 中有 {total} 条标注</translation>
        </message>
        <message>
            <source>New highlights: {n}</source>
            <translation>新增划线：{n} 条</translation>
        </message>
        <message>
            <source>Updated with a newer version: {n}</source>
            <translation>用较新的版本更新：{n} 条</translation>
        </message>
        <message>
            <source>Already in the library: {n}</source>
            <translation>文库中已有：{n} 条</translation>
        </message>
        <message>
            <source>Orphaned — their text is not in the article, kept so you can re-attach them: {n}</source>
            <translation>失联——文章中找不到原文，已保留以便重新关联：{n} 条</translation>
        </message>
        <message>
            <source>Skipped: {n}</source>
            <translation>跳过：{n} 条</translation>
        </message>
        <message>
            <source>The import was undone</source>
            <translation>已撤销这次导入</translation>
        </message>
        <message>
            <source>Highlights put back as they were: {n}</source>
            <translation>恢复原样的划线：{n} 条</translation>
        </message>
        <message>
            <source>New highlights removed: {n}</source>
            <translation>移除的新增划线：{n} 条</translation>
        </message>
        <message>
            <source>Changed since the import, left as they are: {n}</source>
            <translation>导入后又改过、保持不动的划线：{n} 条</translation>
        </message>
        <message>
            <source>The import could not be undone: {reason}</source>
            <translation>无法撤销这次导入：{reason}</translation>
        </message>
        <message>
            <source>The annotations could not be imported</source>
            <translation>无法导入这些划线与批注</translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message>
            <source>added</source>
            <translation>已添加</translation>
        </message>
        <message>
            <source>updated</source>
            <translation>已更新</translation>
        </message>
        <message>
            <source>unchanged</source>
            <translation>无变化</translation>
        </message>
        <message>
            <source>skipped</source>
            <translation>已跳过</translation>
        </message>
        <message>
            <source>not imported</source>
            <translation>未导入</translation>
        </message>
        <message>
            <source>Articles added: %n</source>
            <translation>新增文章：%n 篇</translation>
        </message>
        <message>
            <source>updated: %n</source>
            <translation>更新：%n 篇</translation>
        </message>
        <message>
            <source>files already in the library: %n</source>
            <translation>已在文库中的文件：%n 个</translation>
        </message>
        <message>
            <source>files not imported: %n</source>
            <translation>未导入的文件：%n 个</translation>
        </message>
        <message>
            <source>Cancelled.</source>
            <translation>已取消。</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Source and date for the articles that state none (their text, file name or folder); leave empty to import them without.</source>
            <translation>正文、文件名和文件夹都没有注明来源或日期的文章，使用这里填写的来源和日期；留空则不填。</translation>
        </message>
        <message>
            <source>YYYY-MM-DD</source>
            <translation>YYYY-MM-DD（年-月-日）</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Import {names}</source>
            <translation>导入 {names}</translation>
        </message>
        <message>
            <source>Not a date: use YYYY-MM-DD.</source>
            <translation>不是有效日期：请按 YYYY-MM-DD 填写。</translation>
        </message>
        <message>
            <source>Importing {names}</source>
            <translation>正在导入 {names}</translation>
        </message>
        <message>
            <source>Looking for files…</source>
            <translation>正在查找文件…</translation>
        </message>
        <message>
            <source>{n} of {total}: {name}</source>
            <translation>第 {n} / {total} 个：{name}</translation>
        </message>
        <message>
            <source>{articles} articles so far · {rate} files/s · about {left} left</source>
            <translation>已导入 {articles} 篇 · {rate} 个文件/秒 · 约剩 {left}</translation>
        </message>
        <message>
            <source>Cancelling after the current file…</source>
            <translation>当前文件完成后即取消…</translation>
        </message>
        <message>
            <source>The import stopped: {reason}</source>
            <translation>导入中断：{reason}</translation>
        </message>
        <message>
            <source>Import failed</source>
            <translation>导入失败</translation>
        </message>
        <message numerus="yes">
            <source>(%n article(s))</source>
            <translation>
                <numerusform>（%n 篇）</numerusform>
            </translation>
        </message>
        <message>
            <source>{n} s</source>
            <translation>{n} 秒</translation>
        </message>
        <message>
            <source>{n} min</source>
            <translation>{n} 分钟</translation>
        </message>
        <message>
            <source>{h} h {m} min</source>
            <translation>{h} 小时 {m} 分钟</translation>
        </message>
    </context>
    <context>
        <name>ImportReason</name>
        <message>
            <source>no such file</source>
            <translation>文件不存在</translation>
        </message>
        <message>
            <source>permission denied</source>
            <translation>没有读取权限</translation>
        </message>
        <message>
            <source>is a folder</source>
            <translation>这是一个文件夹</translation>
        </message>
        <message>
            <source>not a regular file</source>
            <translation>不是普通文件</translation>
        </message>
        <message>
            <source>cannot list the folder: {cause}</source>
            <translation>无法列出文件夹内容：{cause}</translation>
        </message>
        <message>
            <source>cannot read the file ({error})</source>
            <translation>无法读取文件（{error}）</translation>
        </message>
        <message>
            <source>file too large ({size}; the limit is {limit})</source>
            <translation>文件太大（{size}；上限 {limit}）</translation>
        </message>
        <message>
            <source>file too large (more than {limit})</source>
            <translation>文件太大（超过 {limit}）</translation>
        </message>
        <message>
            <source>out of memory</source>
            <translation>内存不足</translation>
        </message>
        <message>
            <source>empty file</source>
            <translation>空文件</translation>
        </message>
        <message>
            <source>binary file, not text</source>
            <translation>二进制文件，不是文本</translation>
        </message>
        <message>
            <source>cannot decode the text (tried UTF-8, GB18030, Big5, UTF-16)</source>
            <translation>无法识别文字编码（已尝试 UTF-8、GB18030、Big5、UTF-16）</translation>
        </message>
        <message>
            <source>not valid JSON: line {line}, column {column}</source>
            <translation>不是有效的 JSON：第 {line} 行第 {column} 列</translation>
        </message>
        <message>
            <source>not valid JSON: line {line}, column {column} (cut off?)</source>
            <translation>不是有效的 JSON：第 {line} 行第 {column} 列（文件不完整？）</translation>
        </message>
        <message>
            <source>not valid JSON: a value cannot be read</source>
            <translation>不是有效的 JSON：有无法读取的值</translation>
        </message>
        <message>
            <source>not valid JSON: nested too deeply</source>
            <translation>不是有效的 JSON：嵌套层数太多</translation>
        </message>
        <message>
            <source>nested too deeply</source>
            <translation>嵌套层数太多</translation>
        </message>
        <message>
            <source>not a readable HTML page</source>
            <translation>不是可读的 HTML 网页</translation>
        </message>
        <message>
            <source>no articles found</source>
            <translation>没有找到文章</translation>
        </message>
        <message>
            <source>metadata only, no article text</source>
            <translation>只有文章信息，没有正文</translation>
        </message>
        <message>
            <source>no article text found on the page</source>
            <translation>网页上没有找到文章正文</translation>
        </message>
        <message>
            <source>deleted by the publisher</source>
            <translation>该内容已被发布者删除</translation>
        </message>
        <message>
            <source>blocked for violating the rules</source>
            <translation>此内容因违规无法查看</translation>
        </message>
        <message>
            <source>removed after a complaint</source>
            <translation>此内容被投诉且经审核涉嫌侵权</translation>
        </message>
        <message>
            <source>temporarily unavailable</source>
            <translation>该内容暂时无法查看</translation>
        </message>
        <message>
            <source>the account has moved</source>
            <translation>该公众号已迁移</translation>
        </message>
        <message>
            <source>internal error while reading ({error})</source>
            <translation>读取时出现内部错误（{error}）</translation>
        </message>
        <message>
            <source>already imported</source>
            <translation>已导入过</translation>
        </message>
        <message>
            <source>no article text</source>
            <translation>没有文章正文</translation>
        </message>
        <message>
            <source>an article is too long ({chars} characters; the limit is {limit})</source>
            <translation>文章太长（{chars} 字；上限 {limit} 字）</translation>
        </message>
        <message>
            <source>not saved in the library</source>
            <translation>未能保存到文库</translation>
        </message>
        <message>
            <source>not saved (internal error: {error})</source>
            <translation>未能保存（内部错误：{error}）</translation>
        </message>
        <message numerus="yes">
            <source>%n entry(s) without article text skipped</source>
            <translation>
                <numerusform>跳过了 %n 条没有正文的条目</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>LibraryTasks</name>
        <message>
            <source>Import files</source>
            <translation>导入文件</translation>
        </message>
        <message>
            <source>Articles (*.txt *.json *.md *.text *.html *.htm);;All files (*)</source>
            <translation>文章 (*.txt *.json *.md *.text *.html *.htm);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Import a folder</source>
            <translation>导入文件夹</translation>
        </message>
        <message>
            <source>The library is open read-only.</source>
            <translation>文库以只读方式打开。</translation>
        </message>
        <message>
            <source>An import is already running.</source>
            <translation>已有一个导入正在进行。</translation>
        </message>
        <message>
            <source>Exported {n} highlights to {path}</source>
            <translation>已将 {n} 条划线导出到 {path}</translation>
        </message>
        <message>
            <source>Import annotations</source>
            <translation>导入划线与批注</translation>
        </message>
        <message>
            <source>Web Annotation JSON (*.json *.jsonld);;All files (*)</source>
            <translation>Web Annotation JSON (*.json *.jsonld);;所有文件 (*)</translation>
        </message>
        <message>
            <source>An import of annotations is already running.</source>
            <translation>已有一个划线与批注的导入正在进行。</translation>
        </message>
        <message>
            <source>A backup or restore is already running.</source>
            <translation>已有一个备份或恢复正在进行。</translation>
        </message>
        <message>
            <source>Restore from backup</source>
            <translation>从备份恢复</translation>
        </message>
        <message>
            <source>Pizhu could not be started on {path}.</source>
            <translation>无法在 {path} 上启动批注。</translation>
        </message>
        <message>
            <source>Daily backup saved: {path}</source>
            <translation>每日备份已保存：{path}</translation>
        </message>
        <message>
            <source>The daily backup failed: {reason}</source>
            <translation>每日备份失败：{reason}</translation>
        </message>
        <message>
            <source>Preparing search…</source>
            <translation>正在准备搜索…</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Cannot open the library</source>
            <translation>无法打开文库</translation>
        </message>
        <message>
            <source>Opening the library…</source>
            <translation>正在打开文库…</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Article</source>
            <translation>文章(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Show in the &amp;other script (繁⇄简)</source>
            <translation>繁简转换显示（繁⇄简）(&amp;O)</translation>
        </message>
        <message>
            <source>The library is open read-only.</source>
            <translation>文库以只读方式打开。</translation>
        </message>
        <message>
            <source>Hi&amp;ghlight</source>
            <translation>划线(&amp;G)</translation>
        </message>
        <message>
            <source>&amp;Import files…</source>
            <translation>导入文件(&amp;I)…</translation>
        </message>
        <message>
            <source>Import &amp;folder…</source>
            <translation>导入文件夹(&amp;F)…</translation>
        </message>
        <message>
            <source>Load the &amp;sample library</source>
            <translation>载入示例文库(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Export annotations…</source>
            <translation>导出划线与批注(&amp;E)…</translation>
        </message>
        <message>
            <source>Import a&amp;nnotations…</source>
            <translation>导入划线与批注(&amp;N)…</translation>
        </message>
        <message>
            <source>&amp;Back up library…</source>
            <translation>备份文库(&amp;B)…</translation>
        </message>
        <message>
            <source>&amp;Restore from backup…</source>
            <translation>从备份恢复(&amp;R)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Search the library…</source>
            <translation>搜索文库(&amp;S)…</translation>
        </message>
        <message>
            <source>Filter the article &amp;list</source>
            <translation>筛选文章列表(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Find in article…</source>
            <translation>在文章中查找(&amp;F)…</translation>
        </message>
        <message>
            <source>Find &amp;next</source>
            <translation>查找下一个(&amp;N)</translation>
        </message>
        <message>
            <source>Find &amp;previous</source>
            <translation>查找上一个(&amp;P)</translation>
        </message>
        <message>
            <source>&amp;Articles</source>
            <translation>文章(&amp;A)</translation>
        </message>
        <message>
            <source>Searc&amp;h results</source>
            <translation>搜索结果(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Recall by tag</source>
            <translation>按标签回顾(&amp;R)</translation>
        </message>
        <message>
            <source>Show &amp;sidebar</source>
            <translation>显示侧栏(&amp;S)</translation>
        </message>
        <message>
            <source>Show a&amp;nnotations</source>
            <translation>显示划线面板(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Reading mode</source>
            <translation>阅读模式(&amp;R)</translation>
        </message>
        <message>
            <source>Only the article: hide the list and the panels</source>
            <translation>只看文章：隐藏列表和侧栏</translation>
        </message>
        <message>
            <source>&amp;Bigger text</source>
            <translation>放大文字(&amp;B)</translation>
        </message>
        <message>
            <source>S&amp;maller text</source>
            <translation>缩小文字(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Normal text size</source>
            <translation>默认字号(&amp;N)</translation>
        </message>
        <message>
            <source>Traditional characters shown as Simplified, or the reverse; the text and its highlights stay as they are</source>
            <translation>繁体字显示为简体，或简体显示为繁体；原文和划线保持不变</translation>
        </message>
        <message>
            <source>Follow the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <source>Sepia</source>
            <translation>护眼（米黄）</translation>
        </message>
        <message>
            <source>Next &amp;theme</source>
            <translation>下一个主题(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;Full screen</source>
            <translation>全屏(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Next article</source>
            <translation>下一篇(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Previous article</source>
            <translation>上一篇(&amp;P)</translation>
        </message>
        <message>
            <source>Mark as read / &amp;unread</source>
            <translation>标为已读 / 未读(&amp;U)</translation>
        </message>
        <message>
            <source>Article &amp;tags…</source>
            <translation>文章标签(&amp;T)…</translation>
        </message>
        <message>
            <source>&amp;Merge with the previous article</source>
            <translation>与上一篇合并(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Split the article at the cursor's line</source>
            <translation>在光标所在行拆分文章(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Version history…</source>
            <translation>版本历史(&amp;V)…</translation>
        </message>
        <message>
            <source>Highlight in {color}</source>
            <translation>用{color}划线</translation>
        </message>
        <message>
            <source>Highlight and add a &amp;note…</source>
            <translation>划线并写批注(&amp;N)…</translation>
        </message>
        <message>
            <source>Daily &amp;review…</source>
            <translation>每日复习(&amp;R)…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;About Pizhu</source>
            <translation>关于批注(&amp;A)</translation>
        </message>
        <message>
            <source>Not a Pizhu link: {url}</source>
            <translation>不是批注的链接：{url}</translation>
        </message>
        <message>
            <source>Working…</source>
            <translation>正在处理…</translation>
        </message>
        <message>
            <source>Reading</source>
            <translation>阅读</translation>
        </message>
        <message>
            <source>Scroll a screen down / up</source>
            <translation>向下 / 向上翻一屏</translation>
        </message>
        <message>
            <source>Space / Shift+Space, PgDn / PgUp</source>
            <translation>空格 / Shift+空格，PgDn / PgUp</translation>
        </message>
        <message>
            <source>Select text with the keyboard</source>
            <translation>用键盘选择文字</translation>
        </message>
        <message>
            <source>Shift+arrows</source>
            <translation>Shift+方向键</translation>
        </message>
        <message>
            <source>Copy the selection</source>
            <translation>复制选中文字</translation>
        </message>
        <message>
            <source>Next / previous match while finding</source>
            <translation>查找时的下一个 / 上一个</translation>
        </message>
        <message>
            <source>Enter / Shift+Enter</source>
            <translation>回车 / Shift+回车</translation>
        </message>
        <message>
            <source>Close the find bar</source>
            <translation>关闭查找栏</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>Search and lists</source>
            <translation>搜索和列表</translation>
        </message>
        <message>
            <source>Run the search now</source>
            <translation>立即搜索</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation>回车</translation>
        </message>
        <message>
            <source>From the search field to the results</source>
            <translation>从搜索框进入结果列表</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>下方向键</translation>
        </message>
        <message>
            <source>Open the chosen result or article</source>
            <translation>打开选中的结果或文章</translation>
        </message>
        <message>
            <source>Move in a list</source>
            <translation>在列表中移动</translation>
        </message>
        <message>
            <source>Up / Down, PgUp / PgDn, Home / End</source>
            <translation>上 / 下，PgUp / PgDn，Home / End</translation>
        </message>
        <message>
            <source>About Pizhu</source>
            <translation>关于批注</translation>
        </message>
        <message>
            <source>Pizhu 批注 — read, highlight and annotate Chinese news, offline.

Your library: {path}</source>
            <translation>批注 Pizhu——离线阅读、划线和批注中文新闻。

你的文库：{path}</translation>
        </message>
    </context>
    <context>
        <name>ReaderImages</name>
        <message>
            <source>Picture not stored (web only)</source>
            <translation>图片未保存（仅有网址）</translation>
        </message>
        <message>
            <source>Picture</source>
            <translation>图片</translation>
        </message>
    </context>
    <context>
        <name>ReaderView</name>
        <message>
            <source>Yellow</source>
            <translation>黄色</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>绿色</translation>
        </message>
        <message>
            <source>Blue</source>
            <translation>蓝色</translation>
        </message>
        <message>
            <source>Pink</source>
            <translation>粉色</translation>
        </message>
        <message>
            <source>Purple</source>
            <translation>紫色</translation>
        </message>
        <message>
            <source>Orange</source>
            <translation>橙色</translation>
        </message>
        <message>
            <source>Choose an article from the list to read it here.</source>
            <translation>从列表中选一篇文章，在这里阅读。</translation>
        </message>
        <message>
            <source>Page {page}</source>
            <translation>第{page}版</translation>
        </message>
        <message>
            <source>Shown in Simplified characters</source>
            <translation>已按简体字显示</translation>
        </message>
        <message>
            <source>Shown in Traditional characters</source>
            <translation>已按繁体字显示</translation>
        </message>
        <message>
            <source>Shown as written</source>
            <translation>已按原文显示</translation>
        </message>
        <message>
            <source>This picture was not saved with the article; Pizhu does not load it from the web.</source>
            <translation>这张图片没有随文章保存；批注不会从网上加载它。</translation>
        </message>
        <message>
            <source>The library is open read-only.</source>
            <translation>文库以只读方式打开。</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Highlight</source>
            <translation>划线</translation>
        </message>
        <message>
            <source>Highlight with note…</source>
            <translation>划线并写批注…</translation>
        </message>
        <message>
            <source>Edit highlight “{quote}”…</source>
            <translation>编辑划线“{quote}”…</translation>
        </message>
        <message>
            <source>Find in article…</source>
            <translation>在文章中查找…</translation>
        </message>
        <message>
            <source>Split article at this line</source>
            <translation>在这一行拆分文章</translation>
        </message>
        <message>
            <source>Select all</source>
            <translation>全选</translation>
        </message>
        <message>
            <source>Mark as unread</source>
            <translation>标为未读</translation>
        </message>
        <message>
            <source>Mark as read</source>
            <translation>标为已读</translation>
        </message>
        <message>
            <source>No matches</source>
            <translation>没有找到</translation>
        </message>
        <message>
            <source>{current} of {total}</source>
            <translation>{current} / {total}</translation>
        </message>
    </context>
    <context>
        <name>RecallView</name>
        <message>
            <source>All highlights — type tags to narrow</source>
            <translation>全部划线——输入标签缩小范围</translation>
        </message>
        <message>
            <source>Tags to recall</source>
            <translation>要回顾的标签</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>All of them</source>
            <translation>全部满足</translation>
        </message>
        <message>
            <source>Highlights carrying every one of these tags (AND)</source>
            <translation>带有所有这些标签的划线（与）</translation>
        </message>
        <message>
            <source>Any of them</source>
            <translation>任一满足</translation>
        </message>
        <message>
            <source>Highlights carrying at least one of these tags (OR)</source>
            <translation>至少带有其中一个标签的划线（或）</translation>
        </message>
        <message>
            <source>Newest first</source>
            <translation>最新在前</translation>
        </message>
        <message>
            <source>Oldest first</source>
            <translation>最早在前</translation>
        </message>
        <message>
            <source>By article</source>
            <translation>按文章</translation>
        </message>
        <message>
            <source>By colour</source>
            <translation>按颜色</translation>
        </message>
        <message>
            <source>Order</source>
            <translation>排序</translation>
        </message>
        <message>
            <source>All colours</source>
            <translation>全部颜色</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>颜色</translation>
        </message>
        <message>
            <source>Only the highlights of one colour</source>
            <translation>只看一种颜色的划线</translation>
        </message>
        <message>
            <source>Search quotes and notes</source>
            <translation>搜索原文和批注</translation>
        </message>
        <message>
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <source>Only the highlights in articles from one source</source>
            <translation>只看某一来源文章中的划线</translation>
        </message>
        <message>
            <source>With orphans</source>
            <translation>含失联划线</translation>
        </message>
        <message>
            <source>Only orphans</source>
            <translation>只看失联划线</translation>
        </message>
        <message>
            <source>Without orphans</source>
            <translation>不含失联划线</translation>
        </message>
        <message>
            <source>Orphans</source>
            <translation>失联划线</translation>
        </message>
        <message>
            <source>Orphans: highlights whose text is gone from the current version of their article</source>
            <translation>失联划线：文字已不在文章当前版本中的划线</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>复习</translation>
        </message>
        <message>
            <source>Daily review of your highlights (of the tags typed here, if any): 1–4 to answer</source>
            <translation>每日复习划线（若此处填了标签，只复习这些标签的划线）：按 1–4 作答</translation>
        </message>
        <message>
            <source>Add tags to the selected highlights, or remove one</source>
            <translation>给选中的划线添加标签，或去掉一个标签</translation>
        </message>
        <message>
            <source>Give the selected highlights one colour</source>
            <translation>把选中的划线改成同一种颜色</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>Export the selected highlights (Markdown, JSON or CSV)</source>
            <translation>导出选中的划线（Markdown、JSON 或 CSV）</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete the selected highlights (Undo brings them back)</source>
            <translation>删除选中的划线（可撤销）</translation>
        </message>
        <message>
            <source>Recalled highlights</source>
            <translation>回顾的划线</translation>
        </message>
        <message>
            <source>Tag 1 highlight</source>
            <translation>给 1 条划线加标签</translation>
        </message>
        <message>
            <source>Tag %1 highlights</source>
            <translation>给 %1 条划线加标签</translation>
        </message>
        <message>
            <source>Untag 1 highlight</source>
            <translation>去掉 1 条划线的标签</translation>
        </message>
        <message>
            <source>Untag %1 highlights</source>
            <translation>去掉 %1 条划线的标签</translation>
        </message>
        <message>
            <source>Recolour 1 highlight</source>
            <translation>给 1 条划线改色</translation>
        </message>
        <message>
            <source>Recolour %1 highlights</source>
            <translation>给 %1 条划线改色</translation>
        </message>
        <message>
            <source>Delete 1 highlight</source>
            <translation>删除 1 条划线</translation>
        </message>
        <message>
            <source>Delete %1 highlights</source>
            <translation>删除 %1 条划线</translation>
        </message>
        <message>
            <source>1 selected</source>
            <translation>已选 1 条</translation>
        </message>
        <message>
            <source>%1 selected</source>
            <translation>已选 %1 条</translation>
        </message>
        <message>
            <source>Add tags…</source>
            <translation>添加标签…</translation>
        </message>
        <message>
            <source>Remove tag</source>
            <translation>去掉标签</translation>
        </message>
        <message>
            <source>Add tags</source>
            <translation>添加标签</translation>
        </message>
        <message>
            <source>Tags for the selected highlights (separate them with commas):</source>
            <translation>给选中划线的标签（用逗号分隔）：</translation>
        </message>
        <message>
            <source>Export highlights</source>
            <translation>导出划线</translation>
        </message>
        <message>
            <source>Markdown (*.md);;Web Annotation JSON (*.json);;CSV (*.csv)</source>
            <translation>Markdown (*.md);;Web Annotation JSON (*.json);;CSV (*.csv)</translation>
        </message>
        <message>
            <source>All sources</source>
            <translation>全部来源</translation>
        </message>
        <message>
            <source>No source</source>
            <translation>无来源</translation>
        </message>
        <message>
            <source>1 highlight</source>
            <translation>1 条划线</translation>
        </message>
        <message>
            <source>%1 highlights</source>
            <translation>%1 条划线</translation>
        </message>
        <message>
            <source>No highlights match.</source>
            <translation>没有符合的划线。</translation>
        </message>
        <message>
            <source>No highlights yet.
Highlight passages in an article and give them tags; then recall them here by tag.</source>
            <translation>还没有划线。
在文章中划线并加上标签，之后就能在这里按标签回顾。</translation>
        </message>
        <message>
            <source>Open at this passage</source>
            <translation>打开并定位到这段文字</translation>
        </message>
        <message>
            <source>Copy quote</source>
            <translation>复制原文</translation>
        </message>
        <message>
            <source>Copy note</source>
            <translation>复制批注</translation>
        </message>
        <message>
            <source>Recall by tag</source>
            <translation>按标签回顾</translation>
        </message>
    </context>
    <context>
        <name>RelatedPanel</name>
        <message>
            <source>Related articles</source>
            <translation>相关文章</translation>
        </message>
        <message>
            <source>Related articles ({n})</source>
            <translation>相关文章（{n}）</translation>
        </message>
    </context>
    <context>
        <name>ReviewDialog</name>
        <message>
            <source>Daily review</source>
            <translation>每日复习</translation>
        </message>
        <message>
            <source>Highlights a day</source>
            <translation>每天的划线数</translation>
        </message>
        <message>
            <source>Highlights tagged {tags}</source>
            <translation>标签为 {tags} 的划线</translation>
        </message>
        <message>
            <source>All highlights</source>
            <translation>全部划线</translation>
        </message>
        <message>
            <source>A day:</source>
            <translation>每天：</translation>
        </message>
        <message>
            <source>1 Again</source>
            <translation>1 忘了</translation>
        </message>
        <message>
            <source>Forgotten: show it again soon</source>
            <translation>忘了：很快再看一次</translation>
        </message>
        <message>
            <source>2 Hard</source>
            <translation>2 困难</translation>
        </message>
        <message>
            <source>Hard to recall: a short interval</source>
            <translation>想起来很吃力：间隔短一些</translation>
        </message>
        <message>
            <source>3 Good</source>
            <translation>3 记得</translation>
        </message>
        <message>
            <source>Recalled: the usual interval</source>
            <translation>记得：正常间隔</translation>
        </message>
        <message>
            <source>4 Easy</source>
            <translation>4 容易</translation>
        </message>
        <message>
            <source>Easy: a long interval</source>
            <translation>很容易：间隔长一些</translation>
        </message>
        <message>
            <source>K Keep</source>
            <translation>K 保留</translation>
        </message>
        <message>
            <source>Keep it in the rotation</source>
            <translation>留在复习中</translation>
        </message>
        <message>
            <source>R Retire</source>
            <translation>R 不再复习</translation>
        </message>
        <message>
            <source>Never show it again</source>
            <translation>以后不再出现</translation>
        </message>
        <message>
            <source>O Open</source>
            <translation>O 打开</translation>
        </message>
        <message>
            <source>Open the passage in its article (O or Enter)</source>
            <translation>在文章中打开这段文字（O 或回车）</translation>
        </message>
        <message>
            <source>S Skip</source>
            <translation>S 跳过</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>加载中…</translation>
        </message>
        <message>
            <source>Done for today: {n} answered.</source>
            <translation>今天完成了：已答 {n} 条。</translation>
        </message>
        <message>
            <source>Done for today.</source>
            <translation>今天完成了。</translation>
        </message>
        <message>
            <source>Nothing to review today. New highlights join the review a few a day; answered ones come back when they are due.</source>
            <translation>今天没有要复习的。新划线每天加入几条；答过的到期后会再出现。</translation>
        </message>
        <message>
            <source>{i} of {n}</source>
            <translation>第 {i} / {n} 条</translation>
        </message>
        <message>
            <source>New</source>
            <translation>新</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>到期</translation>
        </message>
        <message>
            <source>Note: {note}</source>
            <translation>批注：{note}</translation>
        </message>
    </context>
    <context>
        <name>SearchPanel</name>
        <message>
            <source>Search the library  (Ctrl+K)</source>
            <translation>搜索文库  (Ctrl+K)</translation>
        </message>
        <message>
            <source>Words match anywhere in titles, text and notes. Use "quotes" for an exact phrase, OR for either word, -word to leave out; title:, source:, tag:, date:2026-01 narrow it.</source>
            <translation>词语在标题、正文和批注中都会匹配。用 "引号" 搜索完整短语，OR 表示任一，-词 表示排除；title:、source:、tag:、date:2026-01 可缩小范围。</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>正在搜索…</translation>
        </message>
        <message>
            <source>Cannot search for that: {reason}</source>
            <translation>无法这样搜索：{reason}</translation>
        </message>
        <message>
            <source>Search failed: {reason}</source>
            <translation>搜索出错：{reason}</translation>
        </message>
        <message>
            <source>Nothing found</source>
            <translation>没有找到</translation>
        </message>
        <message>
            <source>{shown} of {total} articles</source>
            <translation>共 {total} 篇，显示 {shown} 篇</translation>
        </message>
        <message numerus="yes">
            <source>%n article(s)</source>
            <translation>
                <numerusform>%n 篇文章</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SelectionToolbar</name>
        <message>
            <source>Highlight in {color} ({key})</source>
            <translation>用{color}划线 ({key})</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>批注</translation>
        </message>
        <message>
            <source>Highlight and write a note (N)</source>
            <translation>划线并写批注 (N)</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Filter</source>
            <translation>筛选</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
    </context>
    <context>
        <name>Sidebar</name>
        <message>
            <source>Sources</source>
            <extracomment>(text, slot) of a context-menu entry; an empty text is a separator</extracomment>
            <translation>来源</translation>
        </message>
        <message>
            <source>Tags</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Filter tags</source>
            <translation>筛选标签</translation>
        </message>
        <message>
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <source>Show articles with any tag or none</source>
            <translation>显示全部文章，不按标签筛选</translation>
        </message>
        <message>
            <source>articles · highlights</source>
            <translation>文章 · 划线</translation>
        </message>
        <message>
            <source>All sources</source>
            <translation>全部来源</translation>
        </message>
        <message>
            <source>(no source)</source>
            <translation>（无来源）</translation>
        </message>
        <message>
            <source>Trash</source>
            <translation>回收站</translation>
        </message>
        <message>
            <source>1 article</source>
            <translation>1 篇文章</translation>
        </message>
        <message>
            <source>%1 articles</source>
            <translation>%1 篇文章</translation>
        </message>
        <message>
            <source>1 highlight</source>
            <translation>1 条划线</translation>
        </message>
        <message>
            <source>%1 highlights</source>
            <translation>%1 条划线</translation>
        </message>
        <message>
            <source>Recall highlights with all these tags</source>
            <translation>回顾带有这些标签的划线</translation>
        </message>
        <message>
            <source>Recall highlights with this tag</source>
            <translation>回顾带有这个标签的划线</translation>
        </message>
        <message>
            <source>Filter articles by this tag</source>
            <translation>按这个标签筛选文章</translation>
        </message>
        <message>
            <source>Clear tag filter</source>
            <translation>清除标签筛选</translation>
        </message>
    </context>
    <context>
        <name>SyncController</name>
        <message>
            <source>S&amp;ync now</source>
            <translation>立即同步(&amp;Y)</translation>
        </message>
        <message>
            <source>S&amp;ync settings…</source>
            <translation>同步设置(&amp;Y)…</translation>
        </message>
        <message>
            <source>Syncing…</source>
            <translation>正在同步…</translation>
        </message>
        <message>
            <source>Sync failed: {reason}</source>
            <translation>同步失败：{reason}</translation>
        </message>
        <message>
            <source>Synced {when}</source>
            <translation>已同步 {when}</translation>
        </message>
        <message>
            <source>Not synced yet</source>
            <translation>尚未同步</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s) waiting</source>
            <translation>
                <numerusform>%n 处改动待同步</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SyncDialog</name>
        <message>
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <source>Keep this library in step with your other computers. Pizhu writes its changes as small files into a folder or onto a WebDAV server and reads the others' files; the library database itself is never copied.</source>
            <translation>让这个文库与你的其他电脑保持一致。批注把改动写成小文件，放进一个文件夹或 WebDAV 服务器，再读取其他电脑的文件；文库数据库本身从不复制。</translation>
        </message>
        <message>
            <source>A folder kept in sync by Syncthing, Nextcloud, 坚果云, Dropbox…</source>
            <translation>由 Syncthing、Nextcloud、坚果云、Dropbox 等同步的文件夹</translation>
        </message>
        <message>
            <source>A WebDAV server (坚果云, Nextcloud, a NAS)</source>
            <translation>WebDAV 服务器（坚果云、Nextcloud、NAS）</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>kept in the system keyring</source>
            <translation>保存在系统钥匙串中</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>e.g. office laptop</source>
            <translation>例如：办公室笔记本</translation>
        </message>
        <message>
            <source>This computer's name</source>
            <translation>本机名称</translation>
        </message>
        <message>
            <source>Test connection</source>
            <translation>测试连接</translation>
        </message>
        <message>
            <source>Save and sync</source>
            <translation>保存并同步</translation>
        </message>
        <message>
            <source>Turn sync off</source>
            <translation>关闭同步</translation>
        </message>
        <message>
            <source>Choose the sync folder</source>
            <translation>选择同步文件夹</translation>
        </message>
        <message>
            <source>Choose a folder.</source>
            <translation>请选择一个文件夹。</translation>
        </message>
        <message>
            <source>The folder {path} does not exist.</source>
            <translation>文件夹 {path} 不存在。</translation>
        </message>
        <message>
            <source>The sync folder must be outside the library folder.</source>
            <translation>同步文件夹必须在文库文件夹之外。</translation>
        </message>
        <message>
            <source>The address must start with https:// (or http://).</source>
            <translation>地址必须以 https://（或 http://）开头。</translation>
        </message>
        <message>
            <source>Give the user name.</source>
            <translation>请填写用户名。</translation>
        </message>
        <message>
            <source>Testing…</source>
            <translation>正在测试…</translation>
        </message>
        <message>
            <source>Connected: Pizhu can sync there.</source>
            <translation>已连接：批注可以在这里同步。</translation>
        </message>
    </context>
    <context>
        <name>TagEdit</name>
        <message>
            <source>Add tags, separated by commas</source>
            <translation>添加标签，用逗号分隔</translation>
        </message>
    </context>
    <context>
        <name>TagSuggestions</name>
        <message>
            <source>Suggested:</source>
            <translation>推荐标签：</translation>
        </message>
        <message>
            <source>Add the tag “{tag}” (Alt+{n})</source>
            <translation>添加标签“{tag}”（Alt+{n}）</translation>
        </message>
        <message>
            <source>One of your tags</source>
            <translation>你已有的标签</translation>
        </message>
    </context>
    <context>
        <name>TemplateChooser</name>
        <message>
            <source>None — Pizhu's own layout</source>
            <translation>不用模板——Pizhu 自带格式</translation>
        </message>
        <message>
            <source>Plain — headings, quotes and notes</source>
            <translation>简洁——标题、引文和批注</translation>
        </message>
        <message>
            <source>Obsidian / Logseq — front matter, #tags, a callout per highlight</source>
            <translation>Obsidian / Logseq——文件头属性、#标签、每条划线一个标注块</translation>
        </message>
        <message>
            <source>My own template file (Jinja2)</source>
            <translation>我自己的模板文件（Jinja2）</translation>
        </message>
        <message>
            <source>Template</source>
            <translation>模板</translation>
        </message>
        <message>
            <source>A template writes one file per article into a folder and updates those files on the next export; text you add outside Pizhu's marked block is kept</source>
            <translation>模板为每篇文章在文件夹中写一个文件，下次导出时原地更新；你在 Pizhu 标记区块之外写的内容会保留</translation>
        </message>
        <message>
            <source>Template file</source>
            <translation>模板文件</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择…</translation>
        </message>
        <message>
            <source>Only articles whose highlights changed since the last export into that folder</source>
            <translation>只导出自上次导出到该文件夹以来划线有变化的文章</translation>
        </message>
        <message>
            <source>Choose a template</source>
            <translation>选择模板</translation>
        </message>
        <message>
            <source>Templates (*.j2 *.jinja *.md *.txt);;All files (*)</source>
            <translation>模板 (*.j2 *.jinja *.md *.txt);;所有文件 (*)</translation>
        </message>
    </context>
    <context>
        <name>UndoScope</name>
        <message>
            <source>&amp;Undo</source>
            <translation>撤销(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation>重做(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Undo {what}</source>
            <translation>撤销“{what}”(&amp;U)</translation>
        </message>
        <message>
            <source>&amp;Redo {what}</source>
            <translation>重做“{what}”(&amp;R)</translation>
        </message>
        <message>
            <source>Undone: {what}</source>
            <translation>已撤销：{what}</translation>
        </message>
        <message>
            <source>Redone: {what}</source>
            <translation>已重做：{what}</translation>
        </message>
        <message>
            <source> (in “{title}”)</source>
            <translation>（在“{title}”中）</translation>
        </message>
    </context>
    <context>
        <name>VersionsDialog</name>
        <message>
            <source>re-imported from {name}</source>
            <translation>从 {name} 重新导入</translation>
        </message>
        <message>
            <source>merged with {title}</source>
            <translation>与{title}合并</translation>
        </message>
        <message>
            <source>split off its end as a new article</source>
            <translation>末尾拆分为新文章</translation>
        </message>
        <message>
            <source>Version history</source>
            <translation>版本历史</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>Since</source>
            <translation>起始时间</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Characters</source>
            <translation>字数</translation>
        </message>
        <message>
            <source>Compare with the current text</source>
            <translation>与当前文本比较</translation>
        </message>
        <message>
            <source>Show what changed from the chosen version to today's text, instead of what the chosen version changed</source>
            <translation>显示从所选版本到当前文本的全部改动，而不是所选版本本身带来的改动</translation>
        </message>
        <message>
            <source>Show the whole text</source>
            <translation>显示全文</translation>
        </message>
        <message>
            <source>The whole text with the changes marked, instead of only the changed places</source>
            <translation>显示标出改动的全文，而不只是改动之处</translation>
        </message>
        <message>
            <source>Struck through on red: deleted · underlined on green: inserted</source>
            <translation>红底删除线：删去的文字 · 绿底下划线：新增的文字</translation>
        </message>
        <message>
            <source>Versions of “{title}”</source>
            <translation>“{title}”的各个版本</translation>
        </message>
        <message>
            <source>This article has only ever had one text. When a corrected version is imported, the earlier text is kept here.</source>
            <translation>这篇文章只有一个版本。导入更正后的版本时，之前的文本会保留在这里。</translation>
        </message>
        <message>
            <source>Earlier texts are kept when a corrected version is imported, or the article is merged or split. Choose a version to see what it changed.</source>
            <translation>导入更正版本、合并或拆分文章时，之前的文本都会保留。选择一个版本，查看它改动了什么。</translation>
        </message>
        <message>
            <source>{n} (current)</source>
            <translation>{n}（当前）</translation>
        </message>
        <message>
            <source>first imported</source>
            <translation>首次导入</translation>
        </message>
        <message>
            <source>Version {n}: the text as first imported, {chars} characters.</source>
            <translation>版本 {n}：首次导入的文本，共 {chars} 字。</translation>
        </message>
        <message>
            <source>The first version: nothing to compare it with. Tick “Show the whole text” to read it.</source>
            <translation>这是第一个版本，没有可比较的对象。勾选“显示全文”即可阅读。</translation>
        </message>
        <message>
            <source>Comparing version {old} with version {new}…</source>
            <translation>正在比较版本 {old} 和版本 {new}…</translation>
        </message>
        <message>
            <source>Comparing…</source>
            <translation>正在比较…</translation>
        </message>
        <message>
            <source>Title: “{old}” → “{new}”</source>
            <translation>标题：“{old}” → “{new}”</translation>
        </message>
        <message>
            <source>Version {old} → {new}: the text is the same.</source>
            <translation>版本 {old} → {new}：正文相同。</translation>
        </message>
        <message>
            <source>Version {old} → {new} · places changed: {places} · characters deleted: {deleted}, inserted: {inserted}</source>
            <translation>版本 {old} → {new} · 改动 {places} 处 · 删去 {deleted} 字，新增 {inserted} 字</translation>
        </message>
        <message>
            <source>No change in the text.</source>
            <translation>正文没有改动。</translation>
        </message>
        <message>
            <source>Could not compare the versions: {reason}</source>
            <translation>无法比较这两个版本：{reason}</translation>
        </message>
    </context>
    <context>
        <name>Workspace</name>
        <message>
            <source>Articles</source>
            <translation>文章</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>搜索</translation>
        </message>
        <message>
            <source>Recall</source>
            <translation>回顾</translation>
        </message>
        <message>
            <source>The linked article is not in this library.</source>
            <translation>链接指向的文章不在这个文库中。</translation>
        </message>
        <message>
            <source>The linked highlight is no longer there; its article is open.</source>
            <translation>链接指向的划线已不存在；已打开它所在的文章。</translation>
        </message>
        <message>
            <source>The linked highlight is orphaned: its text is gone from the article. Re-attach it in the annotations panel.</source>
            <translation>链接指向的划线已失联：文章中已没有它的原文。可在划线面板中重新关联。</translation>
        </message>
        <message>
            <source>Select the passage in the article first, then re-attach.</source>
            <translation>请先在文章中选中文字，再重新关联。</translation>
        </message>
        <message>
            <source>The highlight is attached to “{quote}”.</source>
            <translation>划线已关联到“{quote}”。</translation>
        </message>
        <message>
            <source>Marked as read.</source>
            <translation>已标为已读。</translation>
        </message>
        <message>
            <source>Marked as unread.</source>
            <translation>已标为未读。</translation>
        </message>
        <message>
            <source>Article tags</source>
            <translation>文章标签</translation>
        </message>
        <message>
            <source>Tags for “{title}”</source>
            <translation>“{title}”的标签</translation>
        </message>
        <message>
            <source>“{title}” was joined to the article before it. Undo ({key}) splits it off again.</source>
            <translation>“{title}”已并入前一篇文章。撤销（{key}）可再拆开。</translation>
        </message>
        <message>
            <source>Merge “{title}”</source>
            <translation>合并“{title}”</translation>
        </message>
        <message>
            <source>Click in the line that should begin the new article, then split.</source>
            <translation>请先点击新文章开头的那一行，再拆分。</translation>
        </message>
        <message>
            <source>“{title}” is now an article of its own. Undo ({key}) merges it back.</source>
            <translation>“{title}”已成为单独的文章。撤销（{key}）可合并回去。</translation>
        </message>
        <message>
            <source>Split “{title}”</source>
            <translation>拆分“{title}”</translation>
        </message>
    </context>
</TS>
