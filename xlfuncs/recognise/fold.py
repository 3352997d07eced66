"""Folding text for matching only: the stored value is never changed.

Published tables reach us through mirrors that convert to traditional characters and insert
pinyin after some characters (``項(xiàng)目``), through OCR that scrambles vertical labels, and
through typists who mix full-width and ASCII forms and break labels over lines. :func:`fold`
maps all of that onto one plain simplified form so labels can be compared.

Note: the engine branch is adding a shared text-folding helper to the core; until both are on
main this module is the recogniser's own. Merge the two into one helper then.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Traditional → simplified, for the characters that occur in these forms, their labels and
# the names of places and programmes they print. Matching only: a value keeps its characters.
_TRADITIONAL = (
    "項績評產標級數額預執資當財撥結轉總體實際務對滿質時經濟會態續響進稱門單經費補衛劃範圍與為內開發國區縣鎮鄉環準確驗違責麗規類個萬億調後關聯係電話報負簽記錄備註說權審業農統設專戶場職護維樓辦築運營傳據條價狀況處積餘學員參導長間達無優較見觀視點擬採購買賣貸稅標審覈兒務醫療險雙傷殘穩廳廣構築機關優質量時效檢測練師譽認證語識讀寫計劃節約減災廢氣廠礦業鐵鋼輸車輛駕駛錢貨幣賬簿監視慮協調處理應該準備壓歷歲圖書館藝術劇團體育競賽獎勵懲罰難題問題論議諮詢屬於從眾們這還來過時間"
    "幾個種類別獲得歡迎顯著適當隨機緊張興辦遷移廳層濕氣溫現場護理禮義廉恥興繼續績點線網絡絕對邊緣鄰近總結紀錄數據庫電腦軟體硬體資訊為啟動執勤亞細歐漢語華裔僑務黨務黨員團員婦聯殘聯園區灣島陸軍隊戰鬥衛兵將領艦機場館"
)
_SIMPLIFIED = (
    "项绩评产标级数额预执资当财拨结转总体实际务对满质时经济会态续响进称门单经费补卫划范围与为内开发国区县镇乡环准确验违责丽规类个万亿调后关联系电话报负签记录备注说权审业农统设专户场职护维楼办筑运营传据条价状况处积余学员参导长间达无优较见观视点拟采购买卖贷税标审核儿务医疗险双伤残稳厅广构筑机关优质量时效检测练师誉认证语识读写计划节约减灾废气厂矿业铁钢输车辆驾驶钱货币账簿监视虑协调处理应该准备压历岁图书馆艺术剧团体育竞赛奖励惩罚难题问题论议咨询属于从众们这还来过时间"
    "几个种类别获得欢迎显著适当随机紧张兴办迁移厅层湿气温现场护理礼义廉耻兴继续绩点线网络绝对边缘邻近总结纪录数据库电脑软体硬体资讯为启动执勤亚细欧汉语华裔侨务党务党员团员妇联残联园区湾岛陆军队战斗卫兵将领舰机场馆"
)
assert len(_TRADITIONAL) == len(_SIMPLIFIED), "traditional/simplified tables must align"
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

# A pinyin gloss a mirror inserted after a character: "(xiàng)", "(jīng)", "(zhuǎn)".
_PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Plain form of a cell's text for comparing labels.

    Full-width forms and compatibility characters folded (NFKC), pinyin glosses removed,
    traditional characters mapped to simplified, every kind of whitespace dropped.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    folded = _PINYIN.sub("", folded)
    folded = folded.translate(_TO_SIMPLIFIED)
    # normalise again: dropping a space can leave a combining mark next to a letter it composes with
    return unicodedata.normalize("NFKC", _SPACE.sub("", folded))


def fold_keep_lines(text: str | None) -> str:
    """Like :func:`fold` for running text: spaces inside a line are kept, pinyin glosses and
    traditional characters are folded (used to read report headings)."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    return _PINYIN.sub("", folded).translate(_TO_SIMPLIFIED)


def is_cjk(char: str) -> bool:
    """True for a CJK unified ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def cjk_only(text: str) -> str:
    """The CJK characters of a folded text, in order (for OCR-tolerant comparison)."""
    return "".join(ch for ch in text if is_cjk(ch))
