"""The catalogue of every message the checker can give, Chinese first, each saying how to fix it."""

from __future__ import annotations

from typing import NamedTuple


class Message(NamedTuple):
    level: str
    zh: str
    en: str


E, W = "error", "warning"

MESSAGES: dict[str, Message] = {
    # Reading the file
    "not-utf8": Message(
        E,
        "文件不是 UTF-8 编码（第 {at} 行附近无法解码）。请用编辑器“另存为 UTF-8”后再提交。",
        "The file is not UTF-8 (cannot decode near line {at}). Save it as UTF-8 and commit again.",
    ),
    "no-front-matter": Message(
        E,
        "文件开头缺少 YAML 头信息。第一行应为 ---，接着写字段，再以一行 --- 结束。",
        "The file does not start with YAML front matter. The first line must be ---, then the fields, "
        "then a line with ---.",
    ),
    "front-matter-unclosed": Message(
        E,
        "YAML 头信息没有结束行。请在最后一个字段后加一行 ---。",
        "The front matter is not closed. Add a line with --- after the last field.",
    ),
    "yaml-syntax": Message(
        E,
        "YAML 格式错误：{detail_zh}。请检查这一行的冒号、引号、缩进和方括号是否成对。",
        "YAML syntax error: {detail}. Check this line's colons, quotes, indentation and brackets.",
    ),
    "yaml-duplicate-key": Message(
        E,
        "字段“{field}”写了两次。请删除其中一处。",
        "The field `{field}` is given twice. Remove one of them.",
    ),
    "yaml-not-mapping": Message(
        E,
        "头信息应是“字段: 值”的列表。请按示例改写。",
        "The front matter must be a list of `field: value` lines. Rewrite it as in the examples.",
    ),
    # Advice on what is typed on a Chinese keyboard: YAML slips on their own lines, what a front matter may not
    # hold, field names in Chinese, names written for ids, dates written another way
    "yaml-fullwidth-colon": Message(
        E,
        "字段“{field}”后面是全角冒号“：”，YAML 不认。请改为英文冒号加一个空格，写成“{field}: 值”。",
        "The field `{field}` is followed by a full-width colon `：`, which YAML does not read. Use an ASCII colon "
        "and a space: `{field}: value`.",
    ),
    "yaml-colon-space": Message(
        E,
        "字段“{field}”的冒号后面缺少空格，YAML 会把“{field}:{value}”整个当作文字。请在冒号后加一个空格，"
        "写成“{field}: {value}”。",
        "The colon after `{field}` has no space after it, so YAML reads `{field}:{value}` as one text. Put a "
        "space after the colon: `{field}: {value}`.",
    ),
    "yaml-colon-missing": Message(
        E,
        "字段“{field}”后面没有冒号。请在字段名后加英文冒号和一个空格，写成“{field}: {value}”。",
        "There is no colon after the field `{field}`. Put an ASCII colon and a space after it: `{field}: {value}`.",
    ),
    "yaml-indent": Message(
        E,
        "字段“{field}”前面有缩进（空格或 Tab），YAML 会把它当作上一行的一部分。请删掉行首的空白，让“{field}:”顶格写。",
        "The field `{field}` is indented (spaces or a Tab), so YAML reads it as part of the line above. Remove "
        "what is before it and start `{field}:` at the beginning of the line.",
    ),
    "yaml-tab": Message(
        E,
        "这一行用 Tab 键缩进，YAML 不允许。请删掉 Tab，改用空格（每一级两个空格）。",
        "This line is indented with a Tab, which YAML does not allow. Indent with spaces instead (two per level).",
    ),
    "yaml-fullwidth-space": Message(
        E,
        "这一行的缩进或冒号后面是全角空格“　”，YAML 不认。请改为英文空格（切换到半角后输入）。",
        "This line has a full-width space `　` in its indentation or after the colon, which YAML does not read. "
        "Use ASCII spaces.",
    ),
    "yaml-fullwidth-list": Message(
        E,
        "字段“{field}”的列表或花括号里用了全角符号“{mark}”，YAML 不认。请用英文的方括号、花括号和逗号，写成 {fixed}",
        "The field `{field}` has a full-width `{mark}` in its list or braces, which YAML does not read. Use ASCII "
        "brackets, braces and commas: {fixed}",
    ),
    "yaml-quote-mismatch": Message(
        E,
        "字段“{field}”的值以英文引号 {opening} 开头，却以中文引号“{closing}”结尾，引号没有成对。"
        "请把结尾也改为英文引号 {opening}，或者两边都不用引号。",
        "The value of `{field}` opens with the ASCII quote {opening} but ends with the Chinese quote `{closing}`. "
        "End it with {opening} too, or use no quotes.",
    ),
    "yaml-value-needs-quotes": Message(
        E,
        "字段“{field}”的值“{value}”以引号或括号开头、后面还有文字（或中文引号里有“: ”），YAML 读不了。"
        "请把整个值用引号括起来，写成 {field}: {fixed}",
        "The value `{value}` of `{field}` starts with a quote or a bracket and goes on after it (or has `: ` "
        "inside Chinese quotes), which YAML cannot read. Quote the whole value: {field}: {fixed}",
    ),
    "yaml-comment-in-value": Message(
        E,
        "字段“{field}”的值里有“空格 + #”，YAML 会把 # 及后面的文字当作注释丢掉。请把整个值用引号括起来，"
        "写成 {field}: {fixed}",
        "The value of `{field}` has a space followed by #, and YAML would drop everything from # on as a "
        "comment. Quote the whole value: {field}: {fixed}",
    ),
    "yaml-invisible-char": Message(
        E,
        "这一行有看不见的字符 {what_zh}，常由复制粘贴带入，会使字段名或标识对不上。请删除它（可删掉整行后重新输入）。",
        "This line holds an invisible character, {what_en}, usually brought in by copy and paste; it breaks field "
        "names and ids. Delete it (retype the line).",
    ),
    "yaml-alias": Message(
        E,
        "头信息不能使用 YAML 的锚点和别名（这里是“{value}”）。请把值直接写出来。",
        "Front matter may not use YAML anchors or aliases (here `{value}`). Write the value out in full.",
    ),
    "front-matter-too-large": Message(
        E,
        "头信息有 {size} KiB，超过上限 {limit} KiB，没有读取。头信息只写字段，正文请写在第二个 --- 之后。",
        "The front matter is {size} KiB, over the limit of {limit} KiB, and was not read. Keep the fields in the "
        "front matter and the text after the second ---.",
    ),
    "field-name-chinese": Message(
        E,
        "字段名“{value}”是中文，系统不认。字段名要用英文：请改为 {suggestion}，例如 {example}",
        "The field name `{value}` is Chinese and is not read; field names are English. Write {suggestion}, e.g. "
        "{example}",
    ),
    "value-in-chinese-quotes": Message(
        E,
        "字段“{field}”的值“{value}”两边是中文引号，YAML 会把引号当作值的一部分。请去掉引号，写成 {fixed}",
        "The value `{value}` of `{field}` is between Chinese quotes, which YAML keeps as part of it. Remove them: "
        "{fixed}",
    ),
    "date-format": Message(
        E,
        "字段“{field}”的时间“{value}”写法不对。请改为 {suggestion}（格式 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，"
        "用英文连字符和冒号）。",
        "The field `{field}` has the time `{value}` in the wrong form. Write {suggestion} (YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM, with ASCII hyphens and colon).",
    ),
    "name-not-id": Message(
        E,
        "字段“{field}”的“{value}”是{registry_zh}中 {suggestion}（{name}）的名称或拼音。这里要写标识："
        "请改为 {suggestion}。",
        "The field `{field}` has `{value}`, the name or pinyin of `{name}` in the {registry_en}; write its id "
        "instead: {suggestion}.",
    ),
    "name-not-id-close": Message(
        E,
        "字段“{field}”的“{value}”不是已登记的标识。{registry_zh}中最接近的是“{name}”，标识 {suggestion}："
        "如果指的是它，请改为 {suggestion}；否则请到 {where} 查找正确的标识。",
        "The field `{field}` has `{value}`, which is not a registered id. The closest entry in the {registry_en} "
        "is `{name}`, id {suggestion}: if you mean it, write {suggestion}; otherwise look up the id in {where}.",
    ),
    # Fields
    "unknown-field": Message(
        E,
        "未知字段“{field}”{suggestion_zh}。未知字段会被忽略而丢失内容，请改正字段名或删除该行。",
        "Unknown field `{field}`{suggestion_en}. An unknown field would be silently lost: rename it or remove "
        "the line.",
    ),
    "required": Message(
        E,
        "缺少必填字段“{field}”（{label}）。请补上，例如：{example}",
        "The required field `{field}` is missing. Add it, for example: {example}",
    ),
    "wrong-type": Message(
        E,
        "字段“{field}”应为{expected_zh}，现在是“{value}”。请按此格式改写，例如：{example}",
        "The field `{field}` must be {expected_en}, not `{value}`. Write it like: {example}",
    ),
    "bad-date": Message(
        E,
        "字段“{field}”的时间“{value}”无法识别。请写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，例如 2020-07-20 09:30。",
        "The field `{field}` has an unreadable time `{value}`. Write YYYY-MM-DD or YYYY-MM-DD HH:MM, "
        "e.g. 2020-07-20 09:30.",
    ),
    "bad-file-id": Message(
        E,
        "文件名或文件夹名“{value}”不能用作标识：只能用小写字母、数字和连字符，如 li-ming。请改名为 {suggestion}。",
        "The file or folder name `{value}` cannot be an id: use lower-case letters, digits and hyphens, e.g. "
        "li-ming. Rename it to {suggestion}.",
    ),
    "bad-id": Message(
        E,
        "字段“{field}”的“{value}”不是合法的标识：只能用小写字母、数字和连字符，如 li-ming。请改为 {suggestion}。",
        "The field `{field}` has `{value}`, which is not a valid id: use lower-case letters, digits and "
        "hyphens, e.g. li-ming. Change it to {suggestion}.",
    ),
    "bad-choice": Message(
        E,
        "字段“{field}”的值“{value}”无效{suggestion_zh}。可选值：{choices}。",
        "The field `{field}` has the invalid value `{value}`{suggestion_en}. Choose one of: {choices}.",
    ),
    "bad-url": Message(
        E,
        "字段“{field}”的网址“{value}”无效。请写完整网址，以 https:// 或 http:// 开头。",
        "The field `{field}` has an invalid address `{value}`. Write a full address starting with https:// or http://.",
    ),
    "unknown-ref": Message(
        E,
        "“{value}”不在{registry_zh}中{suggestion_zh}。请改为已有的标识，或先在 {where} 中添加。",
        "`{value}` is not in the {registry_en}{suggestion_en}. Use an existing id, or first add it to {where}.",
    ),
    "review-missing": Message(
        E,
        "发布前必须完成三审：请填写 review: {{first: 初审人, second: 复审人, final: 终审人}}。"
        "尚未审完的稿件请设 status: draft。",
        "Three reviews are required before publishing: add review: {{first: …, second: …, final: …}}. "
        "Set status: draft until the reviews are done.",
    ),
    "review-incomplete": Message(
        E,
        "三审尚未完成：缺少{missing_zh}。请由相应审核人填写，或先设 status: draft。",
        "The three reviews are not complete: {missing_en} is missing. Have that reviewer fill it in, or set "
        "status: draft for now.",
    ),
    "review-same-person": Message(
        E,
        "三审须由三位不同的人完成，“{value}”同时出现在{stages_zh}。请由另一位审核人完成其中一审。",
        "The three reviews need three different people; `{value}` appears as {stages_en}. Have another "
        "reviewer take one of these stages.",
    ),
    "alt-missing": Message(
        E,
        "字段“{field}”设置了图片，但缺少说明文字“{alt_field}”。请用一句话描述图片内容，供视障读者使用。",
        "The field `{field}` sets an image but `{alt_field}` is missing. Describe the image in one sentence "
        "for readers who cannot see it.",
    ),
    "needed-for-type": Message(
        E,
        "{kind_zh}必须填写“{field}”。请补上，例如：{example}",
        "{kind_en} must have `{field}`. Add it, for example: {example}",
    ),
    "interprets-not-release": Message(
        E,
        "“interprets”指向的稿件“{value}”不是新闻发布稿（type: release）。请改为所解读的发布稿的 slug。",
        "`interprets` points to `{value}`, which is not a release (type: release). Use the slug of the "
        "release this item explains.",
    ),
    "adoption-before-article": Message(
        E,
        "媒体采纳日期 {value} 早于稿件日期 {article_date}。请核对采纳日期。",
        "The adoption date {value} is before the article's date {article_date}. Check the adoption date.",
    ),
    "event-end-before-start": Message(
        E,
        "活动结束日期 {value} 早于开始日期 {start}。请核对日期。",
        "The event ends ({value}) before it starts ({start}). Check the dates.",
    ),
    "pin-until-without-pin": Message(
        W,
        "设置了 pin_until 但没有 pin，置顶不会生效。如需置顶请加 pin: 1。",
        "pin_until is set without pin, so nothing is pinned. Add pin: 1 to pin the article.",
    ),
    # Slugs and URLs
    "made-slug": Message(
        W,
        "由文件名生成的网址标识为“{value}”。如拼音读音有误（如姓氏“曾”“单”），请加 slug: 正确拼音。",
        "The slug made from the file name is `{value}`. If the reading is wrong (surnames such as 曾 or 单), "
        "set slug: with the right pinyin.",
    ),
    "duplicate-slug": Message(
        E,
        "网址标识“{value}”与 {other} 重复。稿件的 slug 须全站唯一，请修改其中一篇的 slug。",
        "The slug `{value}` is also used by {other}. Article slugs must be unique: change one of them.",
    ),
    "duplicate-url": Message(
        E,
        "网址 {value} 与 {other} 相同，一个会覆盖另一个。请修改其中一个的 slug、日期或 aliases。",
        "The URL {value} is also written by {other}; one would overwrite the other. Change the slug, date or "
        "aliases of one of them.",
    ),
    "reserved-id": Message(
        E,
        "“{value}”是系统保留的网址名，不能用作栏目或页面标识。请换一个，例如 {value}-page。",
        "`{value}` is a reserved URL name and cannot be a section or page id. Choose another, e.g. {value}-page.",
    ),
    "page-id-is-section": Message(
        E,
        "页面标识“{value}”与栏目标识相同，网址会冲突。请为页面换一个文件名。",
        "The page id `{value}` is also a section id; their URLs would collide. Rename the page file.",
    ),
    "bad-alias": Message(
        E,
        "旧网址“{value}”无效：须以 / 开头，不含 .. 或空格。例如 /old/2020/news-1.html。",
        "The alias `{value}` is invalid: it must start with /, without .. or spaces, e.g. /old/2020/news-1.html.",
    ),
    "misplaced-file": Message(
        E,
        "系统不认识这个位置的文件。稿件放在 content/articles/，专栏放在 content/columns/，请按投稿指南移动它。",
        "This file is in a place the site does not read. Articles go in content/articles/, columns in "
        "content/columns/: move it as the contributor guide says.",
    ),
    # Files under content/ that are not content items: each read, used, or named here
    "markdown-suffix": Message(
        E,
        "文件“{value}”不会被读取：稿件文件的扩展名必须是小写的 .md。请把它改名为 {name}。",
        "The file `{value}` would not be read: a content file's name must end in lower-case .md. Rename it to {name}.",
    ),
    "symlink": Message(
        E,
        "“{value}”是一个符号链接（指向 {target}），网站不读取也不发布符号链接，以免带入 content/ 之外的文件。"
        "请删除这个链接，把文件本身放在这里。",
        "`{value}` is a symbolic link (to {target}). The site neither reads nor publishes links, which could bring "
        "in files from outside content/. Remove the link and put the file itself here.",
    ),
    "file-unused": Message(
        W,
        "文件“{value}”没有被任何稿件使用，不会发布。如需发布，请在稿件中引用它（图片、附件或正文链接）；否则请删除它。",
        "No item uses the file `{value}`, so it will not be published. To publish it, name it in an item (as an "
        "image, an attachment or a link in the body); otherwise delete it.",
    ),
    "data-file-unknown": Message(
        W,
        "content/data/ 中的文件“{value}”不会被读取。这里只读取：{known}。请检查文件名，或把它移走。",
        "The file `{value}` in content/data/ is not read: only {known} are. Check its name, or move it elsewhere.",
    ),
    # Images and attachments
    "file-missing": Message(
        E,
        "字段“{field}”：找不到文件“{value}”（查找位置 {resolved}）。请检查文件名和大小写，并确认文件已一起提交。",
        "The field `{field}`: the file `{value}` was not found (looked for {resolved}). Check the name and "
        "its case, and commit the file too.",
    ),
    "path-outside-content": Message(
        E,
        "字段“{field}”：路径“{value}”指向 content/ 之外，不允许。"
        "请把文件放在稿件旁边，或放在 content/images/ 并写 /images/…。",
        "The field `{field}`: the path `{value}` leaves content/, which is not allowed. Put the file beside "
        "the article, or in content/images/ and write /images/….",
    ),
    "image-alt-missing": Message(
        E,
        "图片“{value}”缺少说明文字。请写成 ![图片内容的描述]({value})。",
        "The image `{value}` has no alt text. Write it as ![what the picture shows]({value}).",
    ),
    # make new: the alt text it writes for each photo waits for a real description
    "image-alt-placeholder": Message(
        E,
        "图片“{value}”的说明文字还是占位的“请填写图片说明”。请改写为图片内容的描述，"
        "例如 ![会场主席台上方红色横幅]({value})。草稿中这是提醒，定稿（published）后是错误。",
        "The image `{value}` still has the placeholder alt text 请填写图片说明. Replace it with what the picture "
        "shows, e.g. ![the red banner above the rostrum]({value}). A warning in a draft, an error once published.",
    ),
    "image-unreadable": Message(
        E,
        "字段“{field}”：图片“{value}”已损坏或不是图片（{detail}）。请重新导出为 JPEG 或 PNG 后再上传。",
        "The field `{field}`: the image `{value}` is damaged or not an image ({detail}). "
        "Export it again as JPEG or PNG and upload it.",
    ),
    "image-too-large": Message(
        E,
        "字段“{field}”：图片“{value}”有 {megapixels} 百万像素，超过上限 {limit} 百万像素。请缩小后再上传。",
        "The field `{field}`: the image `{value}` has {megapixels} megapixels, over the limit of {limit}. "
        "Resize it and upload it again.",
    ),
    "image-format": Message(
        E,
        "字段“{field}”：图片“{value}”的格式 {detail} 不受支持。请用 JPEG、PNG、WebP、GIF 或 HEIC。",
        "The field `{field}`: the image `{value}` is in the unsupported format {detail}. "
        "Use JPEG, PNG, WebP, GIF or HEIC.",
    ),
    "attachment-unreadable": Message(
        E,
        "字段“{field}”：附件“{value}”已损坏，无法去除其中的个人信息后发布（{detail_zh}）。请重新导出或另存为新文件。",
        "The field `{field}`: the attachment `{value}` is damaged and cannot be published without its metadata "
        "({detail_en}). Export or save it again as a new file.",
    ),
    "attachment-type": Message(
        E,
        "附件“{value}”的类型不受支持。可用：{choices}。",
        "The attachment `{value}` is of an unsupported type. Allowed: {choices}.",
    ),
    # Attachments: active content, passwords, archives, old formats and the files a body links to
    "attachment-code": Message(
        E,
        "字段“{field}”：附件“{value}”含有{detail_zh}，不能发布。请在 Office 或 WPS 中另存为不含宏的 .docx、.xlsx，"
        "或导出为 PDF 后上传。",
        "The field `{field}`: the attachment `{value}` holds {detail_en} and cannot be published. Save it as a "
        ".docx or .xlsx without macros, or export it as PDF, and upload that.",
    ),
    "attachment-code-removed": Message(
        W,
        "字段“{field}”：附件“{value}”含有{detail_zh}，发布时将被去除，文档的页面、文字和网页链接保留。"
        "请打开发布后的文件确认内容完整。",
        "The field `{field}`: the attachment `{value}` holds {detail_en}, which will be removed when it is "
        "published; its pages, text and web links stay. Open the published file to check that nothing is missing.",
    ),
    "attachment-encrypted": Message(
        E,
        "字段“{field}”：附件“{value}”设有密码或已加密（{detail_zh}），无法检查和去除其中的个人信息。"
        "请取消密码后另存为新文件再上传。",
        "The field `{field}`: the attachment `{value}` is encrypted or has a password ({detail_en}), so it cannot be "
        "checked or cleaned of its metadata. Remove the password, save it as a new file and upload that.",
    ),
    "attachment-archive": Message(
        E,
        "字段“{field}”：附件“{value}”是压缩包，不能发布：压缩包里的文件无法逐个检查和去除个人信息。"
        "请解压后把需要的文件逐个列在 attachments 中。",
        "The field `{field}`: the attachment `{value}` is an archive, which cannot be published: the files inside "
        "cannot be checked and cleaned one by one. Unpack it and list each file in attachments.",
    ),
    "attachment-old-format": Message(
        W,
        "字段“{field}”：附件“{value}”是旧格式（.doc、.xls、.wps），发布时只能去除作者、单位等属性，"
        "文件内部的保存人和保存位置记录无法去除。建议另存为 .docx、.xlsx 或 PDF 后上传。",
        "The field `{field}`: the attachment `{value}` is in an old format (.doc, .xls, .wps): publishing removes its "
        "author, company and other properties, but not the records of who saved it where inside the file. "
        "Save it as .docx, .xlsx or PDF and upload that.",
    ),
    "link-file-type": Message(
        E,
        "正文链接的文件“{value}”的类型不能随稿件发布。可以链接的文件：图片和 {choices}。"
        "网页、脚本、程序等请不要放在 content/ 中。",
        "The body links to the file `{value}`, whose type cannot be published with the item. Files a body may "
        "link to: images and {choices}. Keep web pages, scripts and programs out of content/.",
    ),
    "gallery-photo-unlisted": Message(
        W,
        "图片“{value}”未在 photos 中列出，将排在最后，并以图集标题作说明文字。请在 photos 中为它写 caption 和 alt。",
        "The photo `{value}` is not listed in photos: it follows the listed ones, with the gallery title as "
        "alt text. Add it to photos with a caption and alt text.",
    ),
    # Raw HTML in Markdown
    "html-forbidden-tag": Message(
        E,
        "正文中不允许使用 <{value}> 标签。请删除它；视频请用 <video>，外部内容请用普通链接。",
        "The tag <{value}> is not allowed in the body. Remove it; use <video> for video and a plain link for "
        "other sites.",
    ),
    "html-event-attribute": Message(
        E,
        "正文中不允许使用事件属性 {value}（可执行脚本）。请删除该属性。",
        "The event-handler attribute {value} (it runs script) is not allowed in the body. Remove it.",
    ),
    "html-script-url": Message(
        E,
        "正文中不允许使用 {value} 开头的链接（可执行脚本）。请改为 https:// 网址。",
        "Links starting with {value} (they run script) are not allowed in the body. Use an https:// address.",
    ),
    "html-iframe-host": Message(
        E,
        "不允许嵌入来自“{value}”的 iframe。只有站点设置 IFRAME_HOSTS 中的网站可以嵌入；视频请用 <video> 自行托管。",
        "An iframe from `{value}` is not allowed. Only hosts in the IFRAME_HOSTS setting may be embedded; "
        "publish video as a self-hosted <video>.",
    ),
    "html-attribute": Message(
        E,
        "正文中的 <{tag}> 标签不允许使用属性 {value}。请删除该属性。",
        "The attribute {value} is not allowed on <{tag}> in the body. Remove it.",
    ),
    # Sanitised bodies: what the rendered HTML may hold
    "html-url-scheme": Message(
        E,
        "正文中不允许使用 {value} 开头的地址，发布时会被删除。"
        "链接请用 https:// 网址；图片请放在稿件旁边，用 ![说明](文件名)。",
        "Addresses starting with {value} are not allowed in the body: they are removed when published. Link to an "
        "https:// address; put images beside the article and show them with ![alt text](file name).",
    ),
    "html-remote-media": Message(
        E,
        "正文中的图片或视频不能引用其他网站的地址（{value}）：本站网页不从其他网站加载任何内容。"
        "请把文件下载后放在稿件旁边，改用 ![说明](文件名)。",
        "Images and video in the body may not load from another site ({value}): the site's pages load nothing "
        "from other hosts. Download the file, put it beside the article and show it with ![alt text](file name).",
    ),
    "attr-list-attribute": Message(
        E,
        "属性列表 {{: …}} 只能设置类名和标识（如 {{: .lead #intro}}），不能设置 {value}。请删除它。",
        "An attribute list {{: …}} may set only a class and an id (e.g. {{: .lead #intro}}), not {value}. Remove it.",
    ),
    "html-removed": Message(
        E,
        "正文中有不允许的 HTML，发布时会被删除。请只使用普通 Markdown 和允许的标签（见投稿指南）。",
        "The body holds HTML that is not allowed and would be removed when published. Use plain Markdown and the "
        "allowed tags only (see the contributors' guide).",
    ),
    # Registries
    "registry-missing": Message(
        E,
        "缺少登记表文件 {value}。请按投稿指南创建它。",
        "The registry file {value} is missing. Create it as the contributor guide shows.",
    ),
    "registry-not-list": Message(
        E,
        "登记表应是一个列表，每行一项，如 - {{id: news, name: 科协要闻}}。请按示例改写。",
        "A registry must be a list, one entry a line, like - {{id: news, name: 科协要闻}}. Rewrite it as in the "
        "example.",
    ),
    "registry-duplicate-id": Message(
        E,
        "标识“{value}”在登记表中出现了两次（另见第 {other_line} 行）。请删除或改名其中一项。",
        "The id `{value}` appears twice in the registry (see also line {other_line}). Remove or rename one.",
    ),
    # Signed approvals (三审): the reviewer registry, `make check ATTEST=1`, `make approve`
    "reviewer-bad-key": Message(
        E,
        "审核人“{value}”的签名公钥无效：{reason_zh}。请把审核人公钥文件（.pub）的全部内容原样粘贴为一行，加上引号。",
        "The signing key of reviewer `{value}` is not valid: {reason_en}. Paste the whole content of the "
        "reviewer's public key file (.pub) as one line, in quotes.",
    ),
    "reviewer-duplicate-name": Message(
        E,
        "审核人“{value}”登记了两次（另见第 {other_line} 行）。每人只登记一项；同名的两人请写全称以示区别。",
        "The reviewer `{value}` is registered twice (see also line {other_line}). Register each person once; "
        "tell two people of the same name apart by a fuller name.",
    ),
    "reviewer-duplicate-key": Message(
        E,
        "审核人“{value}”的签名公钥与第 {other_line} 行的相同。每位审核人必须用自己的密钥。",
        "The signing key of reviewer `{value}` is the same as on line {other_line}. Every reviewer must have "
        "a key of their own.",
    ),
    "review-unattested": Message(
        E,
        "{stage_zh}（{field}）“{value}”没有得到证实：{reason_zh}。{fix_zh}",
        "The {stage_en} ({field}) by `{value}` is not attested: {reason_en}. {fix_en}",
    ),
    "approve-usage": Message(
        E,
        '用法：make approve STAGE=first|second|final FILES="content/articles/…/稿件.md …"（{detail_zh}）',
        'Usage: make approve STAGE=first|second|final FILES="content/articles/…/article.md …" ({detail_en})',
    ),
    "approve-no-signing": Message(
        E,
        "尚未设置 git 的 SSH 签名（{detail_zh}）。请运行：git config gpg.format ssh；"
        "git config user.signingkey ~/.ssh/id_ed25519.pub（见投稿指南 7.6 节）。",
        "Git's SSH signing is not set up ({detail_en}). Run: git config gpg.format ssh; "
        "git config user.signingkey ~/.ssh/id_ed25519.pub (see the contributor guide, 7.6).",
    ),
    "approve-unknown-key": Message(
        E,
        "你的签名公钥（{value}）不在审核人登记表 content/data/reviewers.yml 中，不能签署审核。"
        "请把公钥文件（.pub）交给调研宣传部登记；登记合并后再运行本命令。",
        "Your signing key ({value}) is not in the reviewer registry content/data/reviewers.yml, so you cannot "
        "sign an approval. Send your public key file (.pub) to the office to be registered, then run this again.",
    ),
    "approve-stage-not-allowed": Message(
        E,
        "登记表中“{value}”可签的是{allowed_zh}，不能签{stage_zh}。请由有权签{stage_zh}的审核人运行。",
        "The registry lets `{value}` sign {allowed_en}, not the {stage_en}. Ask a reviewer who may sign it.",
    ),
    "approve-bad-file": Message(
        E,
        "不能审核 {file}：{detail_zh}。改正后请重新运行 make approve。",
        "Cannot approve {file}: {detail_en}. Run make approve again once this is fixed.",
    ),
    "approve-commit-failed": Message(
        E,
        "签名提交没有成功，文件已恢复原样。git 的提示：{detail}",
        "The signed commit failed and the files were put back as they were. Git said: {detail}",
    ),
    "approve-unverified": Message(
        E,
        "签名提交 {commit} 不能用登记表中你的公钥核验，这次审核不算数。请运行 git reset --soft HEAD~1 撤销它，"
        "确认 user.signingkey 就是登记的那把密钥后重试。",
        "The signed commit {commit} cannot be verified with your registered key, so it does not count. Undo it "
        "with git reset --soft HEAD~1, make sure user.signingkey is the registered key, and try again.",
    ),
    # Editorial rules
    "lexicon": Message(
        E,
        "“{value}”是错误写法，应为“{right}”{note}。请改正。",
        "`{value}` is a wrong form; write `{right}` instead.",
    ),
    "sensitive-word": Message(
        E,
        "“{value}”不宜出现在稿件中：{advice}。",
        "`{value}` must not appear in published copy: see the house word list ({note}).",
    ),
    "sensitive-word-warning": Message(
        W,
        "“{value}”请慎用：{advice}。如确需使用，请终审时确认。",
        "Use `{value}` with care: see the house word list ({note}).",
    ),
    "copy-style": Message(
        W,
        "中文排版建议：“{value}”可改为“{fixed}”（中文里用全角标点、中英文之间加空格）。"
        "运行 make fix 可自动修改正文、标题和摘要。",
        "Chinese copy style: `{value}` could read `{fixed}` (full-width punctuation in Chinese text, a space "
        "between Chinese and Latin). `make fix` applies this to the body, title and summary.",
    ),
    "link-unresolved": Message(
        E,
        "链接“{value}”指向的页面或文件不存在。请检查网址；链接其他稿件请写它的文件路径，如 ../news/xxx.md。",
        "The link `{value}` points to no page or file of this site. Check it; to link another article, "
        "write its file path, e.g. ../news/xxx.md.",
    ),
    "column-folder": Message(
        W,
        "本稿件放在专栏“{value}”的文件夹中，却没有写 columns: [{value}]。请补上，或把文件移到栏目文件夹。",
        "This article is in the folder of the column `{value}` but does not name it: add columns: [{value}], "
        "or move the file to a section folder.",
    ),
    "stale-column": Message(
        W,
        "专栏“{value}”已有 {days} 天没有新稿件（最近一篇 {last}）。"
        "网站检查会把长期不更新的栏目计为问题，请及时更新或设置 end 结束日期。",
        "The column `{value}` has had no new article for {days} days (last on {last}). Inspections count "
        "stale columns against a site: add articles, or set its `end` date.",
    ),
    "backdated": Message(
        W,
        "稿件日期 {value} 比首次提交时间 {added} 早 {days} 天。请确认日期真实，不得倒签发稿日期。",
        "The article is dated {value}, {days} days before it was first committed ({added}). Check that the "
        "date is true: backdating is not allowed.",
    ),
    "notice-expired": Message(
        W,
        "紧急通知已于 {value} 到期，不再显示。如不再需要，请删除 content/data/notice.yml。",
        "The urgent notice expired on {value} and is no longer shown. Delete content/data/notice.yml if it is "
        "no longer needed.",
    ),
    # Corrections (更正) and the owners of each path (make codeowners)
    "corrected-by-not-withdrawn": Message(
        E,
        "只有撤稿（status: withdrawn）的稿件才能写 corrected_by（更正稿件）。请删除这一行；"
        "如本稿件确已撤稿，请改为 status: withdrawn 并写明 withdrawn_reason。",
        "Only a withdrawn item (status: withdrawn) may name the item that corrects it. Remove this line, or set "
        "status: withdrawn with a withdrawn_reason if this item is withdrawn.",
    ),
    "corrected-by-self": Message(
        E,
        "corrected_by 写的是本稿件自己的网址标识“{value}”。请改为更正稿件（另一篇稿件）的 slug。",
        "corrected_by names this item itself (`{value}`). Write the slug of the item that corrects it.",
    ),
    "correction-withdrawn": Message(
        E,
        "更正稿件“{value}”本身也已撤稿。请让 corrected_by 指向现在有效的更正稿件{suggestion_zh}。",
        "The correcting item `{value}` is withdrawn too. Point corrected_by at the correction that "
        "stands{suggestion_en}.",
    ),
    "correction-shared": Message(
        E,
        "稿件“{value}”已是 {other} 的更正稿件。一篇更正稿件只更正一篇稿件（统计时两篇合计为一篇）："
        "请为本稿件另发一篇更正稿件，或检查 slug 是否写错。",
        "`{value}` already corrects {other}. One correction corrects one item (the statistics count the pair "
        "as one): publish a separate correction for this item, or check the slug.",
    ),
    "correction-draft": Message(
        W,
        "更正稿件“{value}”还是草稿：正式网站上的撤稿说明暂不链接它，这组稿件也暂不计入统计。"
        "更正稿件三审发布后会自动链接。",
        "The correcting item `{value}` is still a draft: on the public site the withdrawal notice does not link "
        "to it yet, and the pair is not counted. It is linked once it is reviewed and published.",
    ),
    "alias-of-withdrawn": Message(
        E,
        "旧网址 {value} 是已撤稿稿件 {other} 的撤稿说明页，不能作为本稿件的旧网址。请删除这个旧网址，"
        "并在 {other} 中写 corrected_by: {slug}，撤稿说明就会链接到本稿件。",
        "{value} is the withdrawal notice of {other} and cannot be an alias of this item. Remove the alias and "
        "write corrected_by: {slug} in {other}: its notice then links here.",
    ),
    "bad-editor": Message(
        E,
        "“{value}”不是有效的 GitHub 用户名或团队（例如 hnast-zhang 或 @hnast/office）。"
        "请改正，make codeowners 才能按它分配审核。",
        "`{value}` is not a GitHub user or team (e.g. hnast-zhang or @hnast/office). Correct it so that "
        "make codeowners can route reviews to it.",
    ),
    # Whole-site rules
    "empty-group": Message(
        W,
        "{kind_zh}“{value}”还没有已发布的稿件，页面会显示为空。请添加稿件，或设 status: draft 暂不上线。",
        "The {kind_en} `{value}` has no published article yet, so its page would be empty. Add articles, or set "
        "`status: draft` to leave it out for now.",
    ),
    # Visibility: what a publish build leaves out
    "ref-not-published": Message(
        W,
        "“{value}”（{kind_zh}）{why_zh}，正式发布的网站上还没有它的页面，所以这里暂不显示指向它的链接"
        "（头信息中写的，连名称也不显示）。如需显示，请先发布该{kind_zh}；否则可以暂时删去这一引用。",
        "`{value}` ({kind_en}) {why_en}, so the published site has no page for it yet and this item shows no "
        "link to it (nor its name, when the front matter names it). Publish the {kind_en} first, or remove the "
        "reference for now.",
    ),
    # The local web editor's guard (make cms): answers to requests, not findings in a file
    "cms-host": Message(
        E,
        "拒绝请求：地址“{host}”不是本机网页编辑器的地址（应为 {allowed}）。可能有其他网站在借用本机的编辑器。"
        "请直接在浏览器中打开 make cms 给出的地址。",
        "Refused: the address `{host}` is not this editor's address ({allowed}); another site may be trying to "
        "reach it. Open the address that `make cms` prints.",
    ),
    "cms-origin": Message(
        E,
        "拒绝请求：请求来自“{origin}”，不是本机的预览网站（应为 {allowed}）。请在 make cms 给出的地址打开 /admin/。",
        "Refused: the request comes from `{origin}`, not from the local preview ({allowed}). Open /admin/ at the "
        "address that `make cms` prints.",
    ),
    "cms-request": Message(
        E,
        "拒绝请求：{detail_zh}。网页编辑器的本地后端只接受 /admin/ 发来的 POST /api/v1 请求（JSON）。",
        "Refused: {detail}. The editor's local backend takes only POST /api/v1 requests (JSON) from /admin/.",
    ),
    "cms-backend": Message(
        E,
        "网页编辑器的本地后端 decap-server 没有响应（{detail}）。请结束 make cms（Ctrl-C）后重新运行。",
        "The editor's local backend, decap-server, did not answer ({detail}). Stop `make cms` (Ctrl-C) and run "
        "it again.",
    ),
    "cms-action": Message(
        E,
        "拒绝请求：本地后端不提供“{action}”操作。请在 /admin/ 中操作，不要直接调用后端。",
        "Refused: the local backend does not offer the action `{action}`. Work in /admin/, not against the backend.",
    ),
    "cms-path": Message(
        E,
        "拒绝请求：路径“{path}”{reason_zh}。请使用 content/ 下的普通相对路径，例如 content/articles/news/x/index.md。",
        "Refused: the path `{path}` {reason}. Use a plain relative path under content/, such as "
        "content/articles/news/x/index.md.",
    ),
    "cms-read": Message(
        E,
        "拒绝读取“{path}”：网页编辑器只能读取 content/ 下的稿件、图片和附件。",
        "Refused to read `{path}`: the web editor reads only articles, images and attachments under content/.",
    ),
    "cms-write": Message(
        E,
        "拒绝写入“{path}”：网页编辑器只能在 content/ 下写入或删除稿件、图片和附件（{suffixes}）。"
        "其他文件请在编辑器之外修改并经审核提交。",
        "Refused to write `{path}`: the web editor writes or deletes only articles, images and attachments "
        "({suffixes}) under content/. Change other files outside the editor, through review.",
    ),
}
