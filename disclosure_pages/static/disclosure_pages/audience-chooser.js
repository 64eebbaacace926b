/* The item editor's audience chooser (disclosure_pages/widgets.py): search, pick, remove.
 *
 * The hidden <select multiple> holds the chosen ids and is what the form posts; this adds
 * an <option selected> for a pick and removes it on 移除. Matches come a page at a time from
 * the admin's audience search (disclosure_pages/audience.py), as the editor types.
 */
(() => {
  const { Controller } = window.StimulusModule;

  class AudienceChooserController extends Controller {
    static targets = ['select', 'chosen', 'chosenTemplate', 'input', 'dropdown', 'results', 'more', 'status'];
    static values = { url: String };

    connect() {
      this.page = 0;
      this.requests = 0;
      this.active = -1;
      this.closeOutside = (event) => {
        if (!this.element.contains(event.target)) this.close();
      };
      document.addEventListener('click', this.closeOutside);
    }

    disconnect() {
      document.removeEventListener('click', this.closeOutside);
      clearTimeout(this.timer);
    }

    search() {
      clearTimeout(this.timer);
      // Wait for a pause in typing: one request per word, not per keystroke.
      this.timer = setTimeout(() => this.load(1), 250);
    }

    more() {
      this.load(this.page + 1);
      this.inputTarget.focus();
    }

    async load(page) {
      const request = ++this.requests;
      const url = new URL(this.urlValue, window.location.href);
      url.searchParams.set('q', this.inputTarget.value.trim());
      url.searchParams.set('page', page);
      let data;
      try {
        const response = await fetch(url, { headers: { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' } });
        if (!response.ok) throw new Error(response.statusText);
        data = await response.json();
      } catch (error) {
        if (request === this.requests) this.say(this.statusTarget.dataset.failed);
        return;
      }
      if (request !== this.requests) return; // an answer to an older query
      if (page === 1) {
        this.resultsTarget.replaceChildren();
        this.active = -1;
      }
      data.results.forEach(({ id, text }) => this.resultsTarget.append(this.option(String(id), text)));
      this.page = page;
      this.moreTarget.hidden = !data.pagination.more;
      this.say(this.resultsTarget.children.length ? '' : this.statusTarget.dataset.empty);
      this.open();
    }

    option(value, label) {
      const option = document.createElement('li');
      option.id = `${this.inputTarget.id}-option-${value}`;
      option.className = 'sunshine-audience__option';
      option.setAttribute('role', 'option');
      option.dataset.value = value;
      option.dataset.label = label;
      option.textContent = label;
      this.markChosen(option);
      option.addEventListener('mousedown', (event) => event.preventDefault()); // keep the focus in the box
      option.addEventListener('click', () => this.choose(option));
      return option;
    }

    markChosen(option) {
      const chosen = this.isChosen(option.dataset.value);
      option.setAttribute('aria-selected', chosen ? 'true' : 'false');
      option.toggleAttribute('aria-disabled', chosen);
      option.dataset.chosenText = chosen ? this.statusTarget.dataset.chosen : '';
    }

    isChosen(value) {
      return Array.from(this.selectTarget.options).some((option) => option.value === value);
    }

    choose(option) {
      const { value, label } = option.dataset;
      if (this.isChosen(value)) return;
      this.selectTarget.add(new Option(label, value, true, true));
      const item = this.chosenTemplateTarget.content.firstElementChild.cloneNode(true);
      item.dataset.value = value;
      item.querySelector('.sunshine-audience__label').textContent = label;
      const button = item.querySelector('button');
      button.setAttribute('aria-label', button.dataset.removeLabel.replace('%(label)s', label));
      button.removeAttribute('data-remove-label');
      this.chosenTarget.append(item);
      this.markChosen(option);
      this.say(this.statusTarget.dataset.added.replace('%(label)s', label));
      this.changed();
    }

    remove(event) {
      const item = event.currentTarget.closest('[data-value]');
      Array.from(this.selectTarget.options)
        .filter((option) => option.value === item.dataset.value)
        .forEach((option) => option.remove());
      item.remove();
      this.resultsTarget.querySelectorAll('[role="option"]').forEach((option) => this.markChosen(option));
      this.inputTarget.focus();
      this.changed();
    }

    navigate(event) {
      const options = Array.from(this.resultsTarget.children);
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (this.dropdownTarget.hidden) {
          this.load(1);
          return;
        }
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.activate(options, Math.min(Math.max(this.active + step, 0), options.length - 1));
      } else if (event.key === 'Enter') {
        // Enter picks the highlighted match; it must never submit the page form.
        event.preventDefault();
        if (options[this.active]) this.choose(options[this.active]);
      } else if (event.key === 'Escape' && !this.dropdownTarget.hidden) {
        event.preventDefault();
        this.close();
      }
    }

    activate(options, index) {
      options.forEach((option, position) => option.classList.toggle('is-active', position === index));
      this.active = index;
      if (options[index]) {
        this.inputTarget.setAttribute('aria-activedescendant', options[index].id);
        options[index].scrollIntoView({ block: 'nearest' });
      }
    }

    open() {
      this.dropdownTarget.hidden = false;
      this.inputTarget.setAttribute('aria-expanded', 'true');
    }

    close() {
      this.dropdownTarget.hidden = true;
      this.inputTarget.setAttribute('aria-expanded', 'false');
      this.inputTarget.removeAttribute('aria-activedescendant');
    }

    say(text) {
      this.statusTarget.textContent = text;
    }

    changed() {
      // Wagtail's unsaved-changes warning and autosave listen for the field's change.
      this.selectTarget.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  window.wagtail.app.register('sunshine-audience', AudienceChooserController);
})();
