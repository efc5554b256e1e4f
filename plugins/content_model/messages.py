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
        "字段“{field}”：附件“{value}”已损坏，无法去除其中的个人信息后发布（{detail}）。请重新导出或另存为新文件。",
        "The field `{field}`: the attachment `{value}` is damaged and cannot be published without its metadata "
        "({detail}). Export or save it again as a new file.",
    ),
    "attachment-type": Message(
        E,
        "附件“{value}”的类型不受支持。可用：{choices}。",
        "The attachment `{value}` is of an unsupported type. Allowed: {choices}.",
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
        "中文排版建议：“{value}”可改为“{fixed}”（中英文之间加空格、使用全角标点）。运行 make fix 可自动修改正文。",
        "Chinese copy style: `{value}` could read `{fixed}` (space between Chinese and Latin, full-width "
        "punctuation). `make fix` applies this to the body.",
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
        "{kind_zh}“{value}”还没有已发布的稿件，页面会显示为空。请添加稿件，或暂不上线。",
        "The {kind_en} `{value}` has no published article yet, so its page would be empty. Add articles or "
        "leave it out for now.",
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
