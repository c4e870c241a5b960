// The ten class probabilities as horizontal bars, the top one highlighted. Each row
// carries data-digit and data-probability (a page test hook), and data-exact (the full value).

export class ProbabilityBars {
  constructor(container) {
    this.rows_ = [];
    container.replaceChildren();
    for (let digit = 0; digit < 10; digit++) {
      const row = document.createElement('div');
      row.className = 'prob-row';
      row.dataset.digit = String(digit);
      row.dataset.probability = '0';
      row.innerHTML = `<span class="prob-digit">${digit}</span>
        <span class="prob-track"><span class="prob-fill"></span></span>
        <span class="prob-value">–</span>`;
      container.append(row);
      this.rows_.push(row);
    }
  }

  // probabilities: 10 numbers, or null to show nothing.
  update(probabilities) {
    let best = -1;
    if (probabilities) best = probabilities.indexOf(Math.max(...probabilities));
    this.rows_.forEach((row, digit) => {
      const p = probabilities ? probabilities[digit] : 0;
      row.dataset.probability = p.toFixed(4);
      row.dataset.exact = String(p);  // every digit of the float, to compare predictions exactly
      row.classList.toggle('top', digit === best);
      row.querySelector('.prob-fill').style.width = `${(p * 100).toFixed(1)}%`;
      row.querySelector('.prob-value').textContent = probabilities ? `${Math.round(p * 100)}%` : '–';
    });
  }
}
