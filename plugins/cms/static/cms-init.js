/* 网页编辑器的本站设置：预览用本站样式和文章页版式；保存前的两项检查。
 * The site's additions to Decap CMS: previews in the site's own style, and two checks before saving.
 * The locale (zh_Hans) is set in config.yml, which Decap reads before it draws anything. */
(function () {
  'use strict';
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  if (!CMS) {
    return;
  }

  // The preview is drawn in a frame of its own: it gets the site's stylesheet by absolute address.
  CMS.registerPreviewStyle(new URL('../theme/css/site.css', document.baseURI).href);

  var articleCollections = (document.body.getAttribute('data-article-collections') || '').split(' ').filter(Boolean);

  function asList(value) {
    if (!value) {
      return [];
    }
    return value.toJS ? value.toJS() : [value];
  }

  // The article page's own markup (theme/templates/article.html), so that the site's CSS applies as it will.
  var ArticlePreview = createClass({
    render: function () {
      var data = this.props.entry.get('data');
      var status = data.get('status');
      var cover = data.get('cover');
      var authors = asList(data.get('authors'));
      var photographers = asList(data.get('photographers'));
      var meta = [h('time', { key: 'date' }, String(data.get('date') || ''))];
      meta.push(h('span', { key: 'source' }, '来源：' + (data.get('source') || '河南省科学技术协会')));
      if (authors.length) {
        meta.push(h('span', { key: 'authors' }, '作者：' + authors.join('　')));
      }
      if (photographers.length) {
        meta.push(h('span', { key: 'photographers' }, '摄影：' + photographers.join('　')));
      }
      return h(
        'main',
        { className: 'site-main' },
        h(
          'article',
          { className: 'article' },
          status === 'draft'
            ? h('p', { className: 'preview-banner', role: 'note' }, h('strong', null, '草稿'), '：终审发布之前，网站上不会显示。')
            : null,
          h(
            'header',
            { className: 'article__header' },
            h('h1', { className: 'article__title' }, data.get('title') || '（无标题）'),
            h('p', { className: 'article__meta' }, meta)
          ),
          cover
            ? h(
                'figure',
                { className: 'article__cover' },
                h('img', { src: String(this.props.getAsset(cover)), alt: data.get('cover_alt') || '' })
              )
            : null,
          h('div', { className: 'article__body prose' }, this.props.widgetFor('body')),
          data.get('editor') ? h('footer', { className: 'article__footer' }, '责任编辑：' + data.get('editor')) : null
        )
      );
    }
  });
  articleCollections.forEach(function (name) {
    CMS.registerPreviewTemplate(name, ArticlePreview);
  });

  // 专栏、专题、人物、图集由各自的标识引用：文件名或文件夹名。Decap 给文件夹形式条目的 slug 是“标识/index”，
  // 所以“item-relation”是在 Decap 的 relation 控件上去掉末尾的“/index”。
  // Columns, topics, people and galleries are named by their id: their file's or their folder's name. Decap's
  // slug of a folder entry is "<id>/index", so `item-relation` is Decap's relation widget with that ending removed.
  var relation = CMS.getWidget('relation');
  function byId(hit) {
    return Object.assign({}, hit, { slug: String(hit.slug || '').replace(/\/index$/, '') });
  }
  var ItemRelation = createClass({
    render: function () {
      var props = this.props;
      return h(
        relation.control,
        Object.assign({}, props, {
          queryHits: (props.queryHits || []).map(byId),
          query: function () {
            return props.query.apply(null, arguments).then(function (action) {
              var payload = (action && action.payload) || {};
              var hits = (payload.hits || []).map(byId);
              return Object.assign({}, action, { payload: Object.assign({}, payload, { hits: hits }) });
            });
          }
        })
      );
    }
  });
  CMS.registerWidget('item-relation', ItemRelation, relation.preview);

  CMS.registerEventListener({
    name: 'preSave',
    handler: function (event) {
      var entry = event.entry;
      var collection = entry.get('collection');
      var isNew = entry.get('newRecord');
      // The folder of a new article is named by its slug, and pinyin cannot be made in the browser:
      // a new article needs one. Old articles keep the name their URL already has.
      if (articleCollections.indexOf(collection) >= 0 && isNew && !entry.getIn(['data', 'slug'])) {
        throw new Error('请填写“网址标识”：新稿件的网址由它生成，只用小写字母、数字和连字符，如 kejiguan-xinguan-fengding。');
      }
      // People and galleries are named by their folder; a single-file person would be moved to index.md.
      var path = entry.get('path') || '';
      if ((collection === 'people' || collection === 'galleries') && !isNew && !/\/index\.md$/.test(path)) {
        throw new Error(
          '网页编辑器只能修改文件夹形式的资料（如 content/people/li-ming/index.md），' +
            path + ' 是单个文件，请联系网站管理员改为文件夹形式。'
        );
      }
      return undefined;
    }
  });
})();
